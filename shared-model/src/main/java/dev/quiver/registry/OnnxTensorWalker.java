package dev.quiver.registry;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams through an ONNX file's protobuf wire format and reports every tensor that ONNX Runtime could load from
 * it, with its declared size and where its data lives, without reading or copying any tensor's data.
 *
 * <p>It finds the tensors of every place the ONNX schema keeps them: a graph's initializers and sparse
 * initializers; the tensor, tensors, sparse tensor and sparse tensors attributes of every node (a Constant's
 * value among them), including attributes' default values in model-local functions; and all of that again in every
 * graph an attribute holds (the bodies of If, Loop and Scan, at any depth), in functions and in training info.
 *
 * <p>It reads strictly and fails closed: whatever a parser could read otherwise than this walk does is refused
 * as {@link Malformed} (a truncated or over-long field, a field this walk reads with another wire type, a field
 * that must occur once occurring twice, a tensor with a negative dimension or more than {@value #MAX_ENTRIES} external
 * data entries, more than {@value #MAX_DEPTH} nested messages). Fields that hold no tensor are skipped unread. Not thread-safe; one instance per walk.
 */
final class OnnxTensorWalker {

    /** As deep as protobuf's own parsers nest messages by default. */
    static final int MAX_DEPTH = 100;
    /** The most external data entries one tensor may have (ONNX defines four keys); more is refused. */
    static final int MAX_ENTRIES = 16;
    /** The longest external data key or value read; longer is refused. */
    static final int MAX_ENTRY_BYTES = 4096;
    /** Names are kept for messages only, and shortened past this. */
    private static final int MAX_NAME_CHARS = 120;
    /** What the runtime holds per string element before any characters (a std::string), for the size check. */
    static final int STRING_ELEMENT_BYTES = 32;

    /**
     * One tensor the walk found.
     *
     * @param where         what it is and where it sits, for people: {@code initializer 'W'},
     *                      {@code tensor 'c' in attribute 'value' of node 'c1' (Constant)}
     * @param dataType      its ONNX {@code TensorProto.DataType}
     * @param declaredBytes the bytes its dimensions declare (elements times element size; saturated at
     *                      {@link Long#MAX_VALUE})
     * @param external      whether its data is outside the file: {@code data_location} is not DEFAULT, or it has
     *                      external data entries
     * @param externalData  its external data entries (key, value), in file order
     */
    record Found(String where, int dataType, long declaredBytes, boolean external,
                 List<Map.Entry<String, String>> externalData) {
    }

    /** Called for each tensor in file order; may throw to stop the walk. */
    interface Visitor {
        void found(Found tensor);
    }

    /** The file is not well-formed ONNX protobuf; the message says what is wrong, for people. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private enum ScopeKind { MAIN_GRAPH, GRAPH, NODE, ATTRIBUTE, FUNCTION, TRAINING }

    /** Where the walk is; names are filled in as they are read, so a message names what is known by then. */
    private static final class Scope {
        final Scope parent;
        final ScopeKind kind;
        String name = "";
        String op = "";

        Scope(Scope parent, ScopeKind kind) {
            this.parent = parent;
            this.kind = kind;
        }
    }

    /** What one TensorProto declared. */
    private record Tensor(String name, int dataType, long elements) {
    }

    private final CodedInputStream in;
    private final Visitor visitor;
    private int depth;

    private OnnxTensorWalker(CodedInputStream in, Visitor visitor) {
        this.in = in;
        this.visitor = visitor;
    }

    /**
     * Walks {@code file} as an ONNX ModelProto.
     *
     * @return false, having read nothing, when the file's first byte cannot start any protobuf field (its wire type
     *     is 6 or 7, which every protobuf parser refuses at once, as ONNX Runtime then does); true when it was walked
     * @throws Malformed when it starts as protobuf but is not a well-formed ModelProto
     */
    static boolean walk(Path file, Visitor visitor) throws IOException, Malformed {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new Malformed("a protobuf file cannot exceed 2 GiB; this one holds " + size + " bytes");
        }
        try (InputStream raw = Files.newInputStream(file); InputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
            buffered.mark(1);
            int first = buffered.read();
            if (first >= 0 && (first & 7) >= 6) {
                return false;
            }
            buffered.reset();
            CodedInputStream in = CodedInputStream.newInstance(buffered, 1 << 13);
            in.setSizeLimit(Integer.MAX_VALUE);
            new OnnxTensorWalker(in, visitor).model();
            // skipping past the end of a file may not fail, so a file cut short shows only here
            if (in.getTotalBytesRead() != size) {
                throw new Malformed("the file ends inside a field: it is cut short");
            }
            return true;
        } catch (InvalidProtocolBufferException e) {
            throw new Malformed(e.getMessage());
        }
    }

    // ModelProto: graph = 7, training_info = 20, functions = 25
    private void model() throws IOException, Malformed {
        Scope main = new Scope(null, ScopeKind.MAIN_GRAPH);
        boolean graph = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 7 -> {
                    graph = once(graph, "ModelProto.graph");
                    graph(tag, main);
                }
                case 20 -> training(tag, main);
                case 25 -> function(tag, main);
                default -> skip(tag);
            }
        }
    }

    // TrainingInfoProto: initialization = 1, algorithm = 2 (both graphs)
    private void training(int tag, Scope parent) throws IOException, Malformed {
        int limit = enter(tag, "TrainingInfoProto");
        Scope s = new Scope(parent, ScopeKind.TRAINING);
        boolean initialization = false;
        boolean algorithm = false;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> {
                    initialization = once(initialization, "TrainingInfoProto.initialization");
                    graph(t, new Scope(s, ScopeKind.GRAPH));
                }
                case 2 -> {
                    algorithm = once(algorithm, "TrainingInfoProto.algorithm");
                    graph(t, new Scope(s, ScopeKind.GRAPH));
                }
                default -> skip(t);
            }
        }
        leave(limit);
    }

    // FunctionProto: name = 1, node = 7, attribute_proto = 11 (default values of attributes)
    private void function(int tag, Scope parent) throws IOException, Malformed {
        int limit = enter(tag, "FunctionProto");
        Scope s = new Scope(parent, ScopeKind.FUNCTION);
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> s.name = name(t);
                case 7 -> node(t, s);
                case 11 -> attribute(t, s);
                default -> skip(t);
            }
        }
        leave(limit);
    }

    /**
     * A GraphProto: node = 1, name = 2, initializer = 5, sparse_initializer = 15. {@code s} is the graph's own scope
     * (MAIN_GRAPH or GRAPH).
     */
    private void graph(int tag, Scope s) throws IOException, Malformed {
        int limit = enter(tag, "GraphProto");
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> node(t, s);
                case 2 -> s.name = name(t);
                case 5 -> tensor(t, "initializer", s);
                case 15 -> sparse(t, "sparse initializer", s);
                default -> skip(t);
            }
        }
        leave(limit);
    }

    // NodeProto: name = 3, op_type = 4, attribute = 5
    private void node(int tag, Scope parent) throws IOException, Malformed {
        int limit = enter(tag, "NodeProto");
        Scope s = new Scope(parent, ScopeKind.NODE);
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 3 -> s.name = name(t);
                case 4 -> s.op = name(t);
                case 5 -> attribute(t, s);
                default -> skip(t);
            }
        }
        leave(limit);
    }

    /**
     * An AttributeProto: name = 1, t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23.
     * Every one of them is walked whatever the attribute's declared type says.
     */
    private void attribute(int tag, Scope parent) throws IOException, Malformed {
        int limit = enter(tag, "AttributeProto");
        Scope s = new Scope(parent, ScopeKind.ATTRIBUTE);
        boolean t1 = false;
        boolean g1 = false;
        boolean sparse1 = false;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> s.name = name(t);
                case 5 -> {
                    t1 = once(t1, "AttributeProto.t");
                    tensor(t, "tensor", s);
                }
                case 6 -> {
                    g1 = once(g1, "AttributeProto.g");
                    graph(t, new Scope(s, ScopeKind.GRAPH));
                }
                case 10 -> tensor(t, "tensor", s);
                case 11 -> graph(t, new Scope(s, ScopeKind.GRAPH));
                case 22 -> {
                    sparse1 = once(sparse1, "AttributeProto.sparse_tensor");
                    sparse(t, "sparse tensor", s);
                }
                case 23 -> sparse(t, "sparse tensor", s);
                default -> skip(t);
            }
        }
        leave(limit);
    }

    /**
     * A SparseTensorProto: values = 1, indices = 2, dims = 3. Its values and indices are tensors of their own; the
     * runtime makes a dense tensor of its dims from a sparse initializer, so that is reported too.
     */
    private void sparse(int tag, String kind, Scope s) throws IOException, Malformed {
        int limit = enter(tag, "SparseTensorProto");
        Tensor values = null;
        boolean indices = false;
        long elements = 1;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> {
                    once(values != null, "SparseTensorProto.values");
                    values = tensor(t, kind + " values", s);
                }
                case 2 -> {
                    indices = once(indices, "SparseTensorProto.indices");
                    tensor(t, kind + " indices", s);
                }
                case 3 -> elements = dims(t, elements);
                default -> skip(t);
            }
        }
        leave(limit);
        String name = values == null ? "" : values.name();
        int type = values == null ? 0 : values.dataType();
        visitor.found(new Found(where(kind, name, s), type, bytes(elements, type), false, List.of()));
    }

    /**
     * A TensorProto: dims = 1, data_type = 2, name = 8, external_data = 13, data_location = 14. Reported once it is
     * read whole.
     */
    private Tensor tensor(int tag, String kind, Scope s) throws IOException, Malformed {
        int limit = enter(tag, "TensorProto");
        long elements = 1;
        Integer dataType = null;
        Integer location = null;
        String name = "";
        boolean named = false;
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> elements = dims(t, elements);
                case 2 -> {
                    once(dataType != null, "TensorProto.data_type");
                    dataType = varint32(t, "TensorProto.data_type");
                }
                case 8 -> {
                    named = once(named, "TensorProto.name");
                    name = name(t);
                }
                case 13 -> {
                    if (entries.size() == MAX_ENTRIES) {
                        throw new Malformed("a tensor has more than " + MAX_ENTRIES + " external data entries");
                    }
                    entries.add(entry(t));
                }
                case 14 -> {
                    once(location != null, "TensorProto.data_location");
                    location = varint32(t, "TensorProto.data_location");
                }
                default -> skip(t);
            }
        }
        leave(limit);
        int type = dataType == null ? 0 : dataType;
        boolean external = (location != null && location != 0) || !entries.isEmpty();
        visitor.found(new Found(where(kind, name, s), type, bytes(elements, type), external, List.copyOf(entries)));
        return new Tensor(name, type, elements);
    }

    // StringStringEntryProto: key = 1, value = 2
    private Map.Entry<String, String> entry(int tag) throws IOException, Malformed {
        int limit = enter(tag, "StringStringEntryProto");
        String key = null;
        String value = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> {
                    once(key != null, "StringStringEntryProto.key");
                    key = entryString(t);
                }
                case 2 -> {
                    once(value != null, "StringStringEntryProto.value");
                    value = entryString(t);
                }
                default -> skip(t);
            }
        }
        leave(limit);
        return Map.entry(key == null ? "" : key, value == null ? "" : value);
    }

    /** Multiplies {@code elements} by the dims of a repeated int64 field, packed or not; saturates. */
    private long dims(int tag, long elements) throws IOException, Malformed {
        int wire = WireFormat.getTagWireType(tag);
        if (wire == WireFormat.WIRETYPE_VARINT) {
            return times(elements, in.readInt64());
        }
        if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType(tag, "dims");
        }
        int length = in.readRawVarint32();
        int old = in.pushLimit(length);
        long e = elements;
        while (in.getBytesUntilLimit() > 0) {
            e = times(e, in.readInt64());
        }
        in.popLimit(old);
        return e;
    }

    private static long times(long elements, long dim) throws Malformed {
        if (dim < 0) {
            throw new Malformed("a tensor has the negative dimension " + dim);
        }
        if (elements == 0 || dim == 0) {
            return 0;
        }
        return elements > Long.MAX_VALUE / dim ? Long.MAX_VALUE : elements * dim;
    }

    /** Bytes of {@code elements} elements of ONNX type {@code type}, rounded up; saturates. */
    static long bytes(long elements, int type) {
        long bits = bitsPerElement(type);
        if (elements > Long.MAX_VALUE / bits) {
            return Long.MAX_VALUE;
        }
        return (elements * bits + 7) / 8;
    }

    /** Per ONNX TensorProto.DataType; an unknown type counts as the widest, 16 bytes. */
    static long bitsPerElement(int type) {
        return switch (type) {
            case 2, 3, 9, 17, 18, 19, 20, 24 -> 8; // UINT8, INT8, BOOL, FLOAT8 variants, FLOAT8E8M0
            case 4, 5, 10, 16 -> 16; // UINT16, INT16, FLOAT16, BFLOAT16
            case 1, 6, 12 -> 32; // FLOAT, INT32, UINT32
            case 7, 11, 13, 14 -> 64; // INT64, DOUBLE, UINT64, COMPLEX64
            case 15 -> 128; // COMPLEX128
            case 21, 22, 23 -> 4; // UINT4, INT4, FLOAT4E2M1
            case 25, 26 -> 2; // UINT2, INT2
            case 8 -> STRING_ELEMENT_BYTES * 8L; // STRING
            default -> 128;
        };
    }

    /** Reads a nested message's length and limits reading to it. */
    private int enter(int tag, String what) throws IOException, Malformed {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType(tag, what);
        }
        if (++depth > MAX_DEPTH) {
            throw new Malformed("messages are nested more than " + MAX_DEPTH + " deep");
        }
        return in.pushLimit(in.readRawVarint32());
    }

    private void leave(int oldLimit) throws Malformed {
        if (in.getBytesUntilLimit() != 0) {
            throw new Malformed("the file ends inside a field: it is cut short");
        }
        in.popLimit(oldLimit);
        depth--;
    }

    private void skip(int tag) throws IOException, Malformed {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP) {
            throw new Malformed("an end-group tag where no group is open");
        }
        in.skipField(tag);
    }

    private int varint32(int tag, String what) throws IOException, Malformed {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
            throw wrongWireType(tag, what);
        }
        return in.readInt32();
    }

    /** A name, kept for messages: shortened, with anything unprintable replaced. */
    private String name(int tag) throws IOException, Malformed {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType(tag, "a name");
        }
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new Malformed("a field has a negative length");
        }
        int kept = Math.min(length, MAX_NAME_CHARS * 4);
        String s = new String(in.readRawBytes(kept), StandardCharsets.UTF_8);
        in.skipRawBytes(length - kept);
        return printable(s, MAX_NAME_CHARS);
    }

    private String entryString(int tag) throws IOException, Malformed {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType(tag, "an external data entry");
        }
        int length = in.readRawVarint32();
        if (length < 0 || length > MAX_ENTRY_BYTES) {
            throw new Malformed("an external data entry is longer than " + MAX_ENTRY_BYTES + " bytes");
        }
        // decoded as given: a byte that is not UTF-8 becomes U+FFFD, which no location rule accepts
        return new String(in.readRawBytes(length), StandardCharsets.UTF_8);
    }

    /** Fails when a field that holds one value ({@code seen}) occurs again; returns true. */
    private static boolean once(boolean seen, String field) throws Malformed {
        if (seen) {
            throw new Malformed(field + " occurs twice; parsers would merge the two");
        }
        return true;
    }

    private static Malformed wrongWireType(int tag, String what) {
        return new Malformed(what + " (field " + WireFormat.getTagFieldNumber(tag) + ") has wire type "
                + WireFormat.getTagWireType(tag) + ", which the ONNX schema does not give it");
    }

    private static String where(String kind, String name, Scope s) {
        StringBuilder b = new StringBuilder(kind);
        if (!name.isEmpty()) {
            b.append(" '").append(name).append('\'');
        }
        for (Scope at = s; at != null; at = at.parent) {
            switch (at.kind) {
                case MAIN_GRAPH -> { }
                case GRAPH -> b.append(at.name.isEmpty() ? " of a graph" : " of graph '" + at.name + "'");
                case ATTRIBUTE -> b.append(at.name.isEmpty() ? " in an attribute" : " in attribute '" + at.name + "'");
                case NODE -> b.append(at.name.isEmpty() ? " of a node" : " of node '" + at.name + "'")
                        .append(at.op.isEmpty() ? "" : " (" + at.op + ")");
                case FUNCTION -> b.append(at.name.isEmpty() ? " in a function" : " in function '" + at.name + "'");
                case TRAINING -> b.append(" in training info");
            }
        }
        return b.toString();
    }

    /** {@code s} with characters outside printable ASCII replaced by '?', at most {@code max} of them. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > max) {
            b.append("...");
        }
        return b.toString();
    }
}
