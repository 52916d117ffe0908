package org.nasengine.nas.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.nasengine.tensor.Tensor;

/**
 * Tensors and float arrays in a checkpoint: each one a base64 string of its little-endian float32
 * values (Jackson's binary node), a quarter of the size of a JSON number array and exact.
 */
final class Blobs {
    private Blobs() {}

    static JsonNode of(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return JsonNodeFactory.instance.binaryNode(b.array());
    }

    static float[] floats(JsonNode node) {
        try {
            byte[] bytes = node.binaryValue();
            if (bytes == null) throw new IllegalArgumentException("checkpoint: expected a base64 blob, got " + node.getNodeType());
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of every tensor, in order. */
    static ArrayNode ofTensors(List<Tensor> tensors) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Tensor t : tensors) a.add(of(t.toArray()));
        return a;
    }

    static ArrayNode ofArrays(float[][] arrays) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (float[] f : arrays) a.add(of(f));
        return a;
    }

    static float[][] arrays(JsonNode a) {
        float[][] out = new float[a.size()][];
        for (int i = 0; i < out.length; i++) out[i] = floats(a.get(i));
        return out;
    }

    /** Sets each tensor from the saved values; the counts and sizes must agree. */
    static void restore(String what, JsonNode saved, List<Tensor> tensors) {
        if (saved == null || saved.size() != tensors.size())
            throw new IllegalArgumentException("checkpoint holds " + (saved == null ? 0 : saved.size()) + " " + what + ", this search has "
                    + tensors.size() + " (was it started with other options?)");
        for (int i = 0; i < tensors.size(); i++) {
            float[] v = floats(saved.get(i));
            if (v.length != tensors.get(i).size())
                throw new IllegalArgumentException("checkpoint: " + what + " " + i + " has " + v.length + " values, this search's has "
                        + tensors.get(i).size());
            tensors.get(i).set(v);
        }
    }
}
