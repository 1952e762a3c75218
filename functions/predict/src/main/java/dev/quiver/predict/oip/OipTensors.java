package dev.quiver.predict.oip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.error.QuiverException;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code data} of an Open Inference Protocol tensor (flat, or nested exactly as its shape, row-major) into
 * the primitive array its datatype calls for, checking every element's JSON type and range, and naming the
 * offending element ({@code inputs[0].data[17]}) when one is wrong.
 */
final class OipTensors {

    private OipTensors() {
    }

    static Tensor read(OipModels.RequestInput in, int index) {
        String at = "inputs[" + index + "]";
        if (in == null) {
            throw QuiverException.badInput(at, "must be a tensor object");
        }
        if (in.name() == null) {
            throw QuiverException.badInput(at + ".name", "is required");
        }
        if (in.shape() == null) {
            throw QuiverException.badInput(at + ".shape", "is required");
        }
        Datatype type = Datatype.parse(in.datatype(), at + ".datatype");
        if (in.data() == null || !in.data().isArray()) {
            throw QuiverException.badInput(at + ".data", "must be an array");
        }
        long expected = Tensor.elementCount(in.shape(), at + ".shape");
        List<JsonNode> flat = new ArrayList<>();
        if (isNested(in.data())) {
            nested(in.data(), in.shape(), 0, flat, at + ".data");
        } else {
            in.data().forEach(flat::add);
        }
        if (expected != flat.size()) {
            throw QuiverException.badInput(at + ".data", "holds " + flat.size() + " values but shape "
                    + java.util.Arrays.toString(in.shape()) + " needs " + expected);
        }
        Object data = type.newArray(flat.size());
        for (int i = 0; i < flat.size(); i++) {
            set(type, data, i, flat.get(i), at + ".data[" + i + "]");
        }
        return new Tensor(in.name(), type, in.shape(), data);
    }

    private static boolean isNested(JsonNode data) {
        for (JsonNode n : data) {
            if (n.isArray()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads data nested as the shape says, row-major: at depth {@code d} an array of {@code shape[d]} elements, arrays
     * down to the last dimension and values there. Any other nesting is refused, naming where it departs from the shape.
     */
    private static void nested(JsonNode node, long[] shape, int depth, List<JsonNode> out, String at) {
        if (depth >= shape.length) {
            throw QuiverException.badInput(at, "is nested deeper than the shape " + java.util.Arrays.toString(shape)
                    + " has dimensions");
        }
        if (node.size() != shape[depth]) {
            throw QuiverException.badInput(at, "holds " + node.size() + " elements where dimension " + depth
                    + " of shape " + java.util.Arrays.toString(shape) + " is " + shape[depth]);
        }
        boolean last = depth == shape.length - 1;
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (n.isArray() == last) {
                throw QuiverException.badInput(at + "[" + i + "]", last
                        ? "is an array where the shape's last dimension holds values"
                        : "is a value where the shape " + java.util.Arrays.toString(shape) + " has another dimension");
            }
            if (last) {
                out.add(n);
            } else {
                nested(n, shape, depth + 1, out, at + "[" + i + "]");
            }
        }
    }

    private static void set(Datatype type, Object data, int i, JsonNode v, String at) {
        switch (type) {
            case BOOL -> {
                if (!v.isBoolean()) {
                    throw QuiverException.badInput(at, "must be true or false");
                }
                ((boolean[]) data)[i] = v.booleanValue();
            }
            case BYTES -> {
                if (!v.isTextual()) {
                    throw QuiverException.badInput(at, "must be a string");
                }
                ((String[]) data)[i] = v.textValue();
            }
            case FP16, FP32 -> ((float[]) data)[i] = (float) finite(v, at);
            case FP64 -> ((double[]) data)[i] = finite(v, at);
            case INT8 -> ((byte[]) data)[i] = (byte) integer(v, at, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) data)[i] = (byte) integer(v, at, 0, 255);
            case INT16 -> ((int[]) data)[i] = (int) integer(v, at, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> ((int[]) data)[i] = (int) integer(v, at, 0, 65535);
            case INT32 -> ((int[]) data)[i] = (int) integer(v, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> ((long[]) data)[i] = integer(v, at, 0, 4294967295L);
            case INT64, UINT64 -> ((long[]) data)[i] = integer(v, at, type == Datatype.UINT64 ? 0 : Long.MIN_VALUE,
                    Long.MAX_VALUE);
        }
    }

    private static double finite(JsonNode v, String at) {
        if (!v.isNumber()) {
            throw QuiverException.badInput(at, "must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw QuiverException.badInput(at, "must be a finite number, not " + d);
        }
        return d;
    }

    private static long integer(JsonNode v, String at, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw QuiverException.badInput(at, "must be an integer");
        }
        long l = v.longValue();
        if (l < min || l > max) {
            throw QuiverException.badInput(at, l + " is out of range [" + min + ", " + max + "]");
        }
        return l;
    }
}
