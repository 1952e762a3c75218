package dev.quiver.feature;

import dev.quiver.error.QuiverException;

/** A reference to one feature of one view, written {@code view:feature} as in Feast. */
public record FeatureRef(String view, String feature) {

    /** Parses {@code view:feature}; anything else is BAD_INPUT on {@code field}. */
    public static FeatureRef parse(String ref, String field) {
        int colon = ref == null ? -1 : ref.indexOf(':');
        if (colon <= 0 || colon == ref.length() - 1 || ref.indexOf(':', colon + 1) >= 0) {
            throw QuiverException.badInput(field, "must be 'view:feature', not '" + ref + "'");
        }
        return new FeatureRef(ref.substring(0, colon), ref.substring(colon + 1));
    }

    @Override
    public String toString() {
        return view + ":" + feature;
    }
}
