package dev.quiver.registry;

import dev.quiver.error.QuiverException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The check a model passes before ONNX Runtime opens it, at registration, at the catalog's import and at every load
 * of a stored version: the model cannot reach outside its own directory, and it is not larger than the
 * {@link ModelLimits}.
 *
 * <p>ONNX lets a tensor keep its data outside the model file ({@code data_location = EXTERNAL}, with external data
 * entries {@code location}, {@code offset}, {@code length}); the runtime reads {@code location} relative to the
 * model file's directory, so a model naming {@code ../../etc/passwd} would serve that file's bytes. Here every
 * tensor the runtime could load is found (see {@link OnnxTensorWalker}) and one whose data is outside must name
 * one of the model's own files:
 * <ul>
 *   <li>the location is a plain relative path ({@link #location}): names of letters, digits, '.', '_' and '-', not
 *       starting with '.', joined by '/'; so no absolute path, drive letter, backslash, NUL, {@code .} or
 *       {@code ..}, and none of the version's own files ({@code model.onnx}, {@code descriptor.json}, ...);</li>
 *   <li>it names a regular file whose real path (symbolic links resolved) is inside the model file's directory;</li>
 *   <li>the bytes the runtime reads, {@code offset} to {@code offset + max(length, declared size)}, lie within it;</li>
 *   <li>its only external data keys are {@code location} (once), {@code offset} and {@code length} (at most once, in
 *       decimal) and {@code checksum}; string tensors keep no external data.</li>
 * </ul>
 * A location that breaks the first rule is refused on its text alone, before anything is looked up, and a file
 * that is missing or leads outside gets the same answer, so the refusal never tells whether a file outside exists.
 *
 * <p>Refusals are {@code REJECTED} on field {@code model} naming the tensor, except sizes over a limit, which are
 * {@code TOO_LARGE} on {@code model} (the ONNX file) or {@code external_data} (its data files). Tensor sizes count
 * every tensor found, inline or external, and the dense size of sparse ones, with overflow saturating.
 */
public final class ModelFileCheck {

    /**
     * What a model passed with.
     *
     * @param modelBytes   the bytes of the ONNX file and of the external data files it names
     * @param tensorBytes  the bytes its tensors declare in all
     * @param tensors      how many tensors it holds (a sparse tensor counts its values, indices and itself)
     * @param externalData the locations its tensors name, sorted
     */
    public record Result(long modelBytes, long tensorBytes, int tensors, Set<String> externalData) {
        public Result {
            externalData = java.util.Collections.unmodifiableSet(new TreeSet<>(externalData));
        }
    }

    /** The files of a version directory that are never external data, compared without regard to case. */
    private static final Set<String> RESERVED = Set.of(DirectoryModelStore.ARTIFACT, DirectoryModelStore.DESCRIPTOR,
            DirectoryModelStore.REFERENCE_PROFILE, DirectoryModelStore.ALIASES);
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final int MAX_SEGMENTS = 8;
    private static final int MAX_LOCATION_CHARS = 512;
    private static final String LOCATION_RULE = "a location must be a relative path of names made of letters, "
            + "digits, '.', '_' and '-', not starting with '.', joined by '/', naming one of the model's own data files";

    private ModelFileCheck() {
    }

    /**
     * Checks the ONNX file {@code model} and the external data files it names, which must lie inside its directory.
     *
     * @throws QuiverException REJECTED naming the tensor or the fault, or TOO_LARGE naming the limit
     */
    public static Result check(Path model, ModelLimits limits) {
        Path file = model.toAbsolutePath();
        Path dir = file.getParent();
        Path realDir;
        try {
            realDir = dir.toRealPath();
        } catch (IOException e) {
            throw QuiverException.rejected("model", "the model's directory cannot be read");
        }
        if (!insideAsRegularFile(file, realDir)) {
            throw QuiverException.rejected("model", "model.onnx is not a regular file inside the model's directory");
        }
        long onnxBytes = size(file);
        if (onnxBytes > limits.maxModelBytes()) {
            throw QuiverException.tooLarge("model", "the ONNX file holds " + onnxBytes + " bytes, over the limit of "
                    + limits.maxModelBytes() + " bytes");
        }
        Walk walk = new Walk(dir, realDir, limits, onnxBytes);
        boolean protobuf;
        try {
            protobuf = OnnxTensorWalker.walk(file, walk::found);
        } catch (OnnxTensorWalker.Malformed e) {
            throw QuiverException.rejected("model", "not an ONNX model: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        // a file that is no protobuf at all holds no tensor: the runtime refuses it on its first byte
        return new Result(walk.modelBytes, walk.tensorBytes, protobuf ? walk.tensors : 0, walk.fileSizes.keySet());
    }

    /**
     * Returns {@code location} when it is a plain relative path that may name an external data file; fails with
     * BAD_INPUT on {@code field} otherwise. Decided on the text alone.
     */
    public static String location(String location, String field) {
        String why = locationFault(location);
        if (why != null) {
            throw QuiverException.badInput(field, "'" + OnnxTensorWalker.printable(String.valueOf(location), 200)
                    + "' " + why);
        }
        return location;
    }

    /** Why {@code location} cannot name an external data file, or null when it can. */
    static String locationFault(String location) {
        if (location == null || location.isEmpty()) {
            return "is empty; " + LOCATION_RULE;
        }
        if (location.length() > MAX_LOCATION_CHARS) {
            return "is longer than " + MAX_LOCATION_CHARS + " characters";
        }
        String[] segments = location.split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            return "has more than " + MAX_SEGMENTS + " names";
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return "is not a plain relative path: " + LOCATION_RULE;
            }
        }
        if (segments.length == 1 && RESERVED.contains(location.toLowerCase(Locale.ROOT))) {
            return "is one of the version's own files, not external data";
        }
        return null;
    }

    /** Whether {@code path}, links resolved, is a regular file inside {@code realDir}; false when it cannot be read. */
    private static boolean insideAsRegularFile(Path path, Path realDir) {
        try {
            Path real = path.toRealPath();
            return real.startsWith(realDir) && !real.equals(realDir)
                    && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The visitor: checks each tensor as it is found and sums what the model holds. */
    private static final class Walk {
        private final Path dir;
        private final Path realDir;
        private final ModelLimits limits;
        long modelBytes;
        long tensorBytes;
        int tensors;
        String largest = "";
        long largestBytes = -1;
        /** Sizes of the data files named so far, by location. */
        final Map<String, Long> fileSizes = new HashMap<>();

        Walk(Path dir, Path realDir, ModelLimits limits, long onnxBytes) {
            this.dir = dir;
            this.realDir = realDir;
            this.limits = limits;
            this.modelBytes = onnxBytes;
        }

        void found(OnnxTensorWalker.Found t) {
            tensors++;
            if (t.declaredBytes() > largestBytes) {
                largestBytes = t.declaredBytes();
                largest = t.where();
            }
            tensorBytes = tensorBytes > Long.MAX_VALUE - t.declaredBytes() ? Long.MAX_VALUE
                    : tensorBytes + t.declaredBytes();
            if (tensorBytes > limits.maxTensorBytes()) {
                throw QuiverException.rejected("model", "its tensors declare " + atLeast(tensorBytes)
                        + " bytes, over the limit of " + limits.maxTensorBytes() + " bytes; the largest is " + largest
                        + ", " + atLeast(largestBytes) + " bytes");
            }
            if (t.external()) {
                external(t);
            }
        }

        private void external(OnnxTensorWalker.Found t) {
            String location = null;
            Long offset = null;
            Long length = null;
            for (Map.Entry<String, String> e : t.externalData()) {
                switch (e.getKey()) {
                    case "location" -> {
                        if (location != null) {
                            throw refused(t, "its external data names 'location' twice");
                        }
                        location = e.getValue();
                    }
                    case "offset" -> {
                        if (offset != null) {
                            throw refused(t, "its external data names 'offset' twice");
                        }
                        offset = number(t, "offset", e.getValue());
                    }
                    case "length" -> {
                        if (length != null) {
                            throw refused(t, "its external data names 'length' twice");
                        }
                        length = number(t, "length", e.getValue());
                    }
                    case "checksum" -> {
                        // the runtime does not read it
                    }
                    default -> throw refused(t, "its external data has the key '"
                            + OnnxTensorWalker.printable(e.getKey(), 60)
                            + "'; ONNX defines only location, offset, length and checksum");
                }
            }
            if (location == null) {
                throw refused(t, "its data is marked external but names no location");
            }
            String shown = OnnxTensorWalker.printable(location, 200);
            String outside = t.where() + " stores its data outside the model file, in '" + shown + "'; ";
            String fault = locationFault(location);
            if (fault != null) {
                throw QuiverException.rejected("model", outside + LOCATION_RULE);
            }
            if (t.dataType() == 8) {
                throw refused(t, "it is a string tensor, whose data cannot be kept outside the model file");
            }
            long fileSize = fileSize(location, outside);
            long start = offset == null ? 0 : offset;
            long read = Math.max(length == null ? 0 : length, t.declaredBytes());
            if (read > fileSize || start > fileSize - read) {
                throw QuiverException.rejected("model", t.where() + " reads bytes " + start + " to "
                        + atLeast(start > Long.MAX_VALUE - read ? Long.MAX_VALUE : start + read) + " of '" + shown
                        + "', which holds " + fileSize + " bytes");
            }
        }

        private long fileSize(String location, String outside) {
            Long known = fileSizes.get(location);
            if (known != null) {
                return known;
            }
            Path path = dir.resolve(location);
            if (!insideAsRegularFile(path, realDir)) {
                // the same answer whether the file is missing or leads outside: nothing about outside is told
                throw QuiverException.rejected("model", outside + "no such file travels with the model: its data "
                        + "files must be regular files inside its directory");
            }
            long size = size(path);
            fileSizes.put(location, size);
            modelBytes = modelBytes > Long.MAX_VALUE - size ? Long.MAX_VALUE : modelBytes + size;
            if (modelBytes > limits.maxModelBytes()) {
                throw QuiverException.tooLarge("external_data", "the model's files hold " + atLeast(modelBytes)
                        + " bytes with '" + location + "', over the limit of " + limits.maxModelBytes() + " bytes");
            }
            return size;
        }

        private static long number(OnnxTensorWalker.Found t, String key, String value) {
            if (!value.isEmpty() && value.length() <= 19 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException tooLarge) {
                    // refused below
                }
            }
            throw refused(t, "its external data " + key + " '" + OnnxTensorWalker.printable(value, 40)
                    + "' is not a whole number of bytes");
        }

        private static QuiverException refused(OnnxTensorWalker.Found t, String why) {
            return QuiverException.rejected("model", t.where() + " keeps its data outside the model file, but " + why);
        }

        private static String atLeast(long bytes) {
            return bytes == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(bytes);
        }
    }
}
