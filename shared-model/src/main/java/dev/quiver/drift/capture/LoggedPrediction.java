package dev.quiver.drift.capture;

/**
 * One captured prediction row, kept so that its label can be matched with it when it arrives.
 *
 * @param requestId the request's id
 * @param row       the row's number in the request
 * @param score     the positive (last) class's probability
 * @param label     the predicted label
 */
public record LoggedPrediction(String requestId, int row, double score, String label) {
}
