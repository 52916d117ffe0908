package org.nasengine.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length n, n bytes of JSON
 * ({@code {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}},
 * offsets relative to the end of the header), then the raw little-endian data. We write F32 only,
 * tensors packed in the order given, the header padded with spaces to a multiple of 8; we read any
 * dtype's header and F32 data. Every problem is a {@link WeightsException} naming the file and,
 * where there is one, the tensor.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20; // the reference implementation's limit

    /** One tensor: dtype as the format spells it (F32, F16, I64, ...), shape, and the values when F32. */
    public record Entry(String dtype, int[] shape, float[] values) {
        public long elements() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** What a file holds: tensors in file order, and the string metadata. */
    public record Contents(SequencedMap<String, Entry> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    /** An F32 entry; values.length must equal the product of the shape. */
    public static Entry f32(float[] values, int... shape) {
        Entry e = new Entry("F32", shape.clone(), values);
        if (e.elements() != values.length)
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        return e;
    }

    /** Writes F32 tensors in the given order (to a temporary file, then moved into place). */
    public static void write(Path file, SequencedMap<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                out.write(len.array());
                out.write(header);
                for (Map.Entry<String, Entry> t : tensors.entrySet()) {
                    float[] v = t.getValue().values();
                    ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(v);
                    out.write(buf.array());
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] header(SequencedMap<String, Entry> tensors, Map<String, String> metadata) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> t : tensors.entrySet()) {
            Entry e = t.getValue();
            if (!e.dtype().equals("F32"))
                throw new IllegalArgumentException(t.getKey() + ": only F32 tensors are written, not " + e.dtype());
            ObjectNode node = root.putObject(t.getKey());
            node.put("dtype", "F32");
            ArrayNode shape = node.putArray("shape");
            for (int d : e.shape()) shape.add(d);
            long bytes = 4L * e.values().length;
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Reads and checks a whole file: header, offsets (contiguous, inside the file, of dtype x shape bytes), F32 data. */
    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String where = file.toString();
        if (all.length < 8)
            throw new WeightsException(where + ": " + all.length + " bytes is too short for a safetensors file (truncated?)");
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER)
            throw new WeightsException(where + ": header length " + n + " is not plausible (not a safetensors file?)");
        if (8 + n > all.length)
            throw new WeightsException(where + ": header of " + n + " bytes runs past the end of the file ("
                    + all.length + " bytes): truncated");
        JsonNode root;
        try {
            root = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new WeightsException(where + ": header is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new WeightsException(where + ": header is not a JSON object");
        long dataStart = 8 + n, dataBytes = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        LinkedHashMap<String, long[]> spans = new LinkedHashMap<>();
        LinkedHashMap<String, Entry> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                if (!f.getValue().isObject()) throw new WeightsException(where + ": __metadata__ is not an object");
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String name = f.getKey();
            JsonNode t = f.getValue();
            JsonNode dtype = t.get("dtype"), shape = t.get("shape"), offsets = t.get("data_offsets");
            if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                    || !offsets.isArray() || offsets.size() != 2)
                throw new WeightsException(where + ": tensor " + name + ": needs dtype, shape and data_offsets [begin, end]");
            int[] dims = new int[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() < 0)
                    throw new WeightsException(where + ": tensor " + name + ": shape " + shape + " is not a list of sizes");
                dims[i] = shape.get(i).asInt();
            }
            long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
            int width = width(dtype.asText());
            long elements = 1;
            for (int d : dims) elements *= d;
            if (end > dataBytes)
                throw new WeightsException(where + ": tensor " + name + ": data [" + begin + ", " + end + ") runs past the end of the data ("
                        + dataBytes + " bytes): truncated");
            if (begin < 0 || end < begin)
                throw new WeightsException(where + ": tensor " + name + ": data_offsets [" + begin + ", " + end + "] are not a range");
            if (width > 0 && end - begin != elements * width)
                throw new WeightsException(where + ": tensor " + name + ": " + (end - begin) + " bytes of data for " + dtype.asText()
                        + " " + Arrays.toString(dims) + ", which needs " + elements * width);
            spans.put(name, new long[] {begin, end});
            float[] values = null;
            if (dtype.asText().equals("F32")) {
                values = new float[Math.toIntExact(elements)];
                ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(values);
            }
            tensors.put(name, new Entry(dtype.asText(), dims, values));
        }
        checkContiguous(where, spans, dataBytes);
        return new Contents(tensors, metadata);
    }

    /** The format asks that the data buffer be exactly the tensors' bytes, without holes or overlaps. */
    private static void checkContiguous(String where, Map<String, long[]> spans, long dataBytes) {
        var sorted = spans.entrySet().stream().sorted((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0])).toList();
        long at = 0;
        for (var s : sorted) {
            if (s.getValue()[0] != at)
                throw new WeightsException(where + ": tensor " + s.getKey() + ": data starts at " + s.getValue()[0]
                        + ", expected " + at + " (the data must be packed without holes or overlaps)");
            at = s.getValue()[1];
        }
        if (at != dataBytes)
            throw new WeightsException(where + ": " + (dataBytes - at) + " bytes after the last tensor's data");
    }

    /** Bytes per element of a safetensors dtype, or 0 for a sub-byte or unknown one. */
    static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3" -> 1;
            default -> 0;
        };
    }
}
