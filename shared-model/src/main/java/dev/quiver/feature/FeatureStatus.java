package dev.quiver.feature;

/** The status of one value in an online read, named and numbered as in Feast's serving API. */
public enum FeatureStatus {
    /** Stored and fresh. */
    PRESENT,
    /** Stored as an explicit null. */
    NULL_VALUE,
    /** Nothing stored for this entity and feature. */
    NOT_FOUND,
    /** Stored, but older than the view's TTL; the value is still returned. */
    OUTSIDE_MAX_AGE
}
