package dev.quiver.drift.capture;

import dev.quiver.error.Check;

/**
 * The true label of a prediction row, arriving after the prediction.
 *
 * @param requestId the {@code request_id} of the prediction
 * @param row       the row's number in that request (0 when absent)
 * @param label     the true label, one of the model's classes
 */
public record Outcome(String requestId, Integer row, String label) {

    public Outcome {
        row = row == null ? 0 : row;
    }

    /** Checks an outcome that arrived as {@code at} (such as {@code outcomes[3]}), naming the bad field. */
    public Outcome checked(String at) {
        Check.required(requestId, at + ".request_id");
        Check.required(label, at + ".label");
        Check.that(row >= 0, at + ".row", "must not be negative");
        return this;
    }

    /** The key an outcome and its prediction share. */
    public String key() {
        return requestId + "#" + row;
    }
}
