package dev.quiver.tensor;

import java.util.Arrays;

/**
 * The declared signature of one model input or output: its name, datatype and shape, where -1 marks a
 * dimension of any size (typically the batch).
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

    /** Whether a tensor of {@code actual} shape fits this spec: same rank, and every fixed dimension equal. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && datatype == t.datatype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + datatype + " " + Arrays.toString(shape);
    }
}
