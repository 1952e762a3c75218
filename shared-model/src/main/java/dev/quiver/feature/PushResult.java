package dev.quiver.feature;

/**
 * What a push did.
 *
 * @param rows    rows in the request
 * @param written rows written, summed over the views the push source feeds
 * @param skipped rows not written because the store held a newer or equal event time
 */
public record PushResult(int rows, int written, int skipped) {
}
