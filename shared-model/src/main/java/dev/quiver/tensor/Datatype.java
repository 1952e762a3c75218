package dev.quiver.tensor;

import dev.quiver.error.QuiverException;

/**
 * Tensor element types, named as the Open Inference Protocol names them.
 *
 * <p>Each type fixes the Java array that holds a tensor's data in {@link Tensor#data()}: {@code boolean[]}
 * for BOOL, {@code byte[]} for INT8 and UINT8, {@code int[]} for INT16, UINT16 and INT32, {@code long[]}
 * for UINT32, INT64 and UINT64, {@code float[]} for FP16 and FP32, {@code double[]} for FP64 and
 * {@code String[]} for BYTES.
 */
public enum Datatype {
    BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES;

    /** Parses an OIP datatype name; fails with BAD_INPUT on {@code field} for an unknown one. */
    public static Datatype parse(String name, String field) {
        if (name == null) {
            throw QuiverException.badInput(field, "is required");
        }
        try {
            return Datatype.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw QuiverException.badInput(field, "unknown datatype '" + name + "'");
        }
    }

    /** Whether values of this type are numbers (everything but BOOL and BYTES). */
    public boolean numeric() {
        return this != BOOL && this != BYTES;
    }

    /** A new, zeroed array of {@code length} elements of the Java type that holds this datatype. */
    public Object newArray(int length) {
        return switch (this) {
            case BOOL -> new boolean[length];
            case INT8, UINT8 -> new byte[length];
            case INT16, UINT16, INT32 -> new int[length];
            case UINT32, INT64, UINT64 -> new long[length];
            case FP16, FP32 -> new float[length];
            case FP64 -> new double[length];
            case BYTES -> new String[length];
        };
    }
}
