package org.nasengine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors file: a file made byte by byte as the format describes, round trips, broken files. */
class SafetensorsTest {

    /** 8-byte little-endian header length, the header, then the data. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    @Test
    void readsAFileMadeByHand(@TempDir Path dir) throws Exception {
        // as the Python library writes one: metadata first, an I64 tensor we do not decode, F32 data little-endian
        byte[] data = new byte[24 + 16];
        System.arraycopy(floats(1f, -2f, 0.5f, 3e-8f, Float.MAX_VALUE, -0f), 0, data, 0, 24);
        ByteBuffer.wrap(data, 24, 16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-1);
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, file("""
                {"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},\
                "steps":{"dtype":"I64","shape":[2],"data_offsets":[24,40]}}""", data));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(List.of("w", "steps"), List.copyOf(c.tensors().keySet()));
        Safetensors.Entry w = c.tensors().get("w");
        assertEquals("F32", w.dtype());
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 3e-8f, Float.MAX_VALUE, -0f}, w.values());
        assertEquals("I64", c.tensors().get("steps").dtype());
        assertNull(c.tensors().get("steps").values());
    }

    @Test
    void writesWhatItReadsAndTheLayoutTheFormatAsks(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, Safetensors.Entry> t = new LinkedHashMap<>();
        t.put("b.scalar", Safetensors.f32(new float[] {42f}));
        t.put("a.weight", Safetensors.f32(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        t.put("empty", Safetensors.f32(new float[0], 0, 4));
        Path f = dir.resolve("rt.safetensors");
        Safetensors.write(f, t, Map.of("arch", "{\"space\": \"x\"}"));
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        assertEquals(8 + n + 4 * 7, all.length);
        assertEquals(42f, ByteBuffer.wrap(all, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat(), "packed in the given order");
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"a.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[4,28]}"), header);

        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("b.scalar", "a.weight", "empty"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.tensors().get("a.weight").values());
        assertArrayEquals(new int[0], c.tensors().get("b.scalar").shape());
        assertEquals("{\"space\": \"x\"}", c.metadata().get("arch"));
    }

    @Test
    void brokenFilesAreNamedWithTheirProblem(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, Safetensors.Entry> t = new LinkedHashMap<>();
        t.put("layers.0.conv.weight", Safetensors.f32(new float[] {1, 2, 3, 4}, 4));
        t.put("layers.0.bn.running_var", Safetensors.f32(new float[] {1, 2}, 2));
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, t, Map.of());
        byte[] all = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 3));
        WeightsException e = assertThrows(WeightsException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("layers.0.bn.running_var") && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(cut, Arrays.copyOf(all, 20));
        e = assertThrows(WeightsException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("runs past the end of the file") && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(cut, Arrays.copyOf(all, 5));
        e = assertThrows(WeightsException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());

        Path notJson = dir.resolve("text.safetensors");
        Files.write(notJson, file("{\"w\": [", new byte[0]));
        e = assertThrows(WeightsException.class, () -> Safetensors.read(notJson));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());

        Path wrongSize = dir.resolve("size.safetensors");
        Files.write(wrongSize, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]));
        e = assertThrows(WeightsException.class, () -> Safetensors.read(wrongSize));
        assertTrue(e.getMessage().contains("tensor w: 8 bytes of data for F32 [3], which needs 12"), e.getMessage());

        Path hole = dir.resolve("hole.safetensors");
        Files.write(hole, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]));
        e = assertThrows(WeightsException.class, () -> Safetensors.read(hole));
        assertTrue(e.getMessage().contains("tensor w: data starts at 4, expected 0"), e.getMessage());
    }
}
