package dev.quiver.inference;

import dev.quiver.model.InputField;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows of raw named features into the row-major float matrix a model's input tensor takes, as its
 * descriptor declares: numbers in place, categories one-hot.
 *
 * <p>Built once per model version; {@link #encode} is thread-safe and allocates only its result. Every
 * problem with a row fails the whole request with a {@link BadRowException} (BAD_INPUT) naming the row, the feature
 * ({@code rows[3].state}) and the reason, before anything is run: a missing or unknown feature, a string where a
 * number is due, a category the model never saw, NaN or an infinity.
 */
public final class FeatureEncoder {

    private final InputField[] fields;
    /**
     * The fields' names, interned. JSON parsers intern the keys of the objects they read (Jackson does by default),
     * so a row's key is then the very same string and each lookup in the row matches by reference, without
     * comparing characters. Names read from a descriptor are not interned, so this saves a good part of the encoding
     * time (docs/performance.md, In-process overhead).
     */
    private final String[] names;
    private final int[] offsets;
    private final Map<String, Integer>[] categoryIndex;
    private final Map<String, Integer> fieldIndex = new HashMap<>();
    private final int width;

    @SuppressWarnings("unchecked")
    public FeatureEncoder(List<InputField> inputFields) {
        this.fields = inputFields.toArray(InputField[]::new);
        this.names = new String[fields.length];
        this.offsets = new int[fields.length];
        this.categoryIndex = new Map[fields.length];
        int w = 0;
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].name().intern();
            offsets[i] = w;
            w += fields[i].width();
            fieldIndex.put(fields[i].name(), i);
            if (fields[i].type() == InputField.Type.CATEGORY) {
                Map<String, Integer> idx = new HashMap<>();
                List<String> cats = fields[i].categories();
                for (int c = 0; c < cats.size(); c++) {
                    idx.put(cats.get(c), c);
                }
                categoryIndex[i] = idx;
            }
        }
        this.width = w;
    }

    /** How many floats one row becomes. */
    public int width() {
        return width;
    }

    /** Where encoded values go: a float or a double array. */
    private interface Sink {
        void set(int index, double value);
    }

    /** Encodes all rows into one array of {@code rows.size() * width()} floats, for FP32 inputs. */
    public float[] encode(List<Map<String, Object>> rows) {
        float[] out = new float[rows.size() * width];
        encodeInto(rows, true, (i, v) -> out[i] = (float) v);
        return out;
    }

    /**
     * Encodes all rows into one array of {@code rows.size() * width()} doubles, for FP64 inputs; no value is rounded
     * to float.
     */
    public double[] encodeDouble(List<Map<String, Object>> rows) {
        double[] out = new double[rows.size() * width];
        encodeInto(rows, false, (i, v) -> out[i] = v);
        return out;
    }

    private void encodeInto(List<Map<String, Object>> rows, boolean fp32, Sink out) {
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> row = rows.get(r);
            if (row == null) {
                throw new BadRowException(r, null, "must be an object of named features");
            }
            encodeRow(row, r, fp32, out, r * width);
        }
    }

    private void encodeRow(Map<String, Object> row, int r, boolean fp32, Sink out, int base) {
        if (row instanceof NamedRow named && named.size() == fields.length && encodeNamed(named, r, fp32, out, base)) {
            return;
        }
        for (int i = 0; i < fields.length; i++) {
            InputField f = fields[i];
            Object v = row.get(names[i]);
            if (v == null) {
                throw new BadRowException(r, f.name(),
                        row.containsKey(f.name()) ? "must not be null" : "missing feature");
            }
            encodeValue(v, i, r, fp32, out, base);
        }
        if (row.size() != fields.length) {
            for (String name : row.keySet()) {
                if (!fieldIndex.containsKey(name)) {
                    throw new BadRowException(r, name, "unknown feature: the model takes " + fieldNames());
                }
            }
        }
    }

    /**
     * Encodes a parsed row of exactly as many features as the model has by walking it in order: a name that is the
     * next field's (a client that sends the features in the model's order) costs a reference comparison, another one
     * lookup; numbers come unboxed. Distinct names, all fields, as many as the fields: every field is present once.
     * False, with nothing decided, when a name is not a field or a value is refused: the general path then reports
     * the row's first problem in the model's field order, whatever the order of the row.
     */
    private boolean encodeNamed(NamedRow row, int r, boolean fp32, Sink out, int base) {
        try {
            for (int k = 0; k < fields.length; k++) {
                String name = row.nameAt(k);
                int i = name == names[k] ? k : fieldIndex.getOrDefault(name, -1);
                if (i < 0) {
                    return false;
                }
                InputField f = fields[i];
                if (row.isNumberAt(k) && f.type() == InputField.Type.NUMBER) {
                    out.set(base + offsets[i], checked(row.numberAt(k), r, f.name(), fp32));
                    continue;
                }
                Object v = row.valueAt(k);
                if (v == null) {
                    return false;
                }
                encodeValue(v, i, r, fp32, out, base);
            }
            return true;
        } catch (BadRowException refused) {
            return false;
        }
    }

    private void encodeValue(Object v, int i, int r, boolean fp32, Sink out, int base) {
        InputField f = fields[i];
        if (f.type() == InputField.Type.NUMBER) {
            out.set(base + offsets[i], number(v, r, f.name(), fp32));
        } else {
            Integer c = v instanceof String s ? categoryIndex[i].get(s) : null;
            if (c == null) {
                throw new BadRowException(r, f.name(), v instanceof String s
                        ? "unknown category '" + s + "': the model knows " + describe(f.categories())
                        : "must be a string, one of " + describe(f.categories()));
            }
            out.set(base + offsets[i] + c, 1.0);
        }
    }

    private static double number(Object v, int r, String name, boolean fp32) {
        if (!(v instanceof Number n)) {
            throw new BadRowException(r, name, v instanceof String
                    ? "must be a number, not a string" : "must be a number");
        }
        return checked(n.doubleValue(), r, name, fp32);
    }

    /** {@code d}, if it is finite and, for an FP32 input, within the float range. */
    private static double checked(double d, int r, String name, boolean fp32) {
        if (!Double.isFinite(d)) {
            throw new BadRowException(r, name, "must be a finite number, not " + d);
        }
        if (fp32 && Float.isInfinite((float) d)) {
            // a finite double beyond the float range would reach an FP32 model as an infinity
            throw new BadRowException(r, name, d + " is outside the range of the model's 32-bit float input");
        }
        return d;
    }

    private static String describe(List<String> categories) {
        if (categories.size() <= 8) {
            return String.join(", ", categories);
        }
        return categories.size() + " values (" + String.join(", ", categories.subList(0, 5)) + ", ...)";
    }

    private String fieldNames() {
        StringBuilder sb = new StringBuilder();
        for (InputField f : fields) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.name());
        }
        return sb.toString();
    }
}
