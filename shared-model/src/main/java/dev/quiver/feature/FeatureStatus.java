package dev.quiver.feature;

/**
 * The status of one value in an online read, named and numbered as Feast's serving API numbers its
 * {@code FieldStatus} ({@code protos/feast/serving/ServingService.proto}): a constant's {@link #ordinal()} is Feast's
 * number.
 */
public enum FeatureStatus {
    /**
     * Stored, but not as a value the store can read (bytes that are not a Feast {@code Value}, or a member of it this
     * version does not know): the value is null. One such value never fails the read of the others.
     */
    INVALID,
    /** Stored and fresh. */
    PRESENT,
    /** Stored as an explicit null. */
    NULL_VALUE,
    /** Nothing stored for this entity and feature. */
    NOT_FOUND,
    /** Stored, but older than the view's TTL; the value is still returned. */
    OUTSIDE_MAX_AGE
}
