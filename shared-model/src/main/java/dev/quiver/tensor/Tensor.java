package dev.quiver.tensor;

import dev.quiver.error.QuiverException;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A named, typed, shaped block of values in row-major order.
 *
 * <p>{@code data} is the primitive array that {@link Datatype} fixes for {@code datatype}, and its length is
 * the product of {@code shape}. The record does not copy its arrays: whoever builds a tensor hands them over
 * and must not change them afterwards.
 */
public record Tensor(String name, Datatype datatype, long[] shape, Object data) {

    public Tensor {
        if (data == null || !data.getClass().isArray()) {
            throw new IllegalArgumentException("tensor data must be an array");
        }
    }

    public static Tensor of(String name, float[] data, long... shape) {
        return new Tensor(name, Datatype.FP32, shape, data);
    }

    public static Tensor of(String name, long[] data, long... shape) {
        return new Tensor(name, Datatype.INT64, shape, data);
    }

    /** The number of elements that {@code shape} describes; fails with BAD_INPUT on a negative or overflowing dimension. */
    public static long elementCount(long[] shape, String field) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw QuiverException.badInput(field, "shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw QuiverException.badInput(field, "shape " + Arrays.toString(shape) + " has more elements than fit in a tensor");
            }
        }
        return n;
    }

    /** The number of values in {@code data}. */
    public int length() {
        return Array.getLength(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && datatype == t.datatype
                && Arrays.equals(shape, t.shape) && Arrays.deepEquals(new Object[] {data}, new Object[] {t.data});
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
