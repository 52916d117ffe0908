package org.nasengine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.ChannelStats;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Tensor;

/** Networks to safetensors and back: stable names, exact round trips, files that do not fit. */
class NetworkWeightsTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    private static Architecture macro() {
        return ArchitectureCodec.parse("""
                {"space": "macro-cnn", "layers": [
                  {"kh": 3, "kw": 3, "filters": 4, "stride": 1, "inputs": []},
                  {"kh": 1, "kw": 3, "filters": 5, "stride": 2, "inputs": [0]}]}""");
    }

    @Test
    void namesComeFromTheModuleTree() throws Exception {
        try (ImageNetwork net = ChildBuilder.image(macro(), 1, 8, 8, 10, be, 1)) {
            assertEquals(List.of("layers.0.conv.weight", "layers.0.bn.weight", "layers.0.bn.bias", "layers.0.bn.running_mean",
                    "layers.0.bn.running_var", "layers.1.conv.weight", "layers.1.bn.weight", "layers.1.bn.bias",
                    "layers.1.bn.running_mean", "layers.1.bn.running_var", "classifier.weight", "classifier.bias"),
                    List.copyOf(net.namedTensors().keySet()));
        }
        Architecture nasnet = ArchitectureCodec.parse(Files.readString(SharedFiles.path("spec/arch/ref-nasnet-a.json")));
        try (ImageNetwork net = ChildBuilder.image(nasnet, 3, 8, 8, 10, be, 1)) {
            var names = net.namedTensors().keySet();
            assertTrue(names.contains("stem.conv.weight") && names.contains("cells.0.blocks.0.op0.unit1.convs.0.weight")
                    && names.contains("cells.0.blocks.1.op1.unit2.bn.running_var") && names.contains("cells.1.agree.convs.0.weight"),
                    "nasnet names");
            assertEquals(net.parameters().size() + net.stateTensors().size(), names.size(), "every tensor once");
        }
        Nb201 nb = new Nb201(Nb201.parseCell("|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|"), 4, 1);
        try (ImageNetwork net = ChildBuilder.image(nb, 3, 8, 8, 10, be, 1)) {
            var names = net.namedTensors().keySet();
            assertTrue(names.contains("layers.0.edges.0.convs.0.weight") && names.contains("layers.0.edges.4.bn.running_mean")
                    && names.contains("layers.1.conv_a.convs.0.weight") && names.contains("layers.1.shortcut.weight")
                    && names.contains("last_bn.running_var"), "nb201 names");
        }
    }

    @Test
    void roundTripIsExact(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        ChannelStats stats = new ChannelStats(new float[] {0.25f}, new float[] {0.5f});
        Map<String, float[]> saved = new LinkedHashMap<>();
        try (ImageNetwork net = ChildBuilder.image(macro(), 1, 8, 8, 10, be, 1)) {
            int i = 0;
            for (var t : net.namedTensors().entrySet()) { // running statistics too: not their initial values
                float[] v = t.getValue().toArray();
                for (int k = 0; k < v.length; k++) v[k] += 0.01f * (i + k);
                t.getValue().set(v);
                saved.put(t.getKey(), v);
                i++;
            }
            NetworkWeights.save(f, net, stats, NetworkWeights.imageMetadata(macro(), 1, 8, 8, 10, "synthetic"));
        }
        try (ImageNetwork other = ChildBuilder.image(macro(), 1, 8, 8, 10, be, 99)) {
            NetworkWeights.Saved s = NetworkWeights.load(f, other, macro());
            for (Map.Entry<String, Tensor> t : other.namedTensors().entrySet())
                assertArrayEquals(saved.get(t.getKey()), t.getValue().toArray(), t.getKey());
            assertArrayEquals(stats.mean(), s.normalization().mean());
            assertArrayEquals(stats.std(), s.normalization().std());
            assertArrayEquals(new int[] {1, 8, 8}, s.inputShape(f));
            assertEquals(NetworkWeights.FORMAT, s.metadata().get("format"));
        }
    }

    /** A file like a saved one with one tensor replaced (null: removed). */
    private static Path edited(Path dir, Path from, String name, Safetensors.Entry replacement) throws Exception {
        Safetensors.Contents c = Safetensors.read(from);
        LinkedHashMap<String, Safetensors.Entry> t = new LinkedHashMap<>(c.tensors());
        if (replacement == null) t.remove(name);
        else t.put(name, replacement);
        Path out = dir.resolve("edited.safetensors");
        Safetensors.write(out, t, c.metadata());
        return out;
    }

    @Test
    void aFileThatDoesNotFitIsRefusedNamingTheTensor(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        try (ImageNetwork net = ChildBuilder.image(macro(), 1, 8, 8, 10, be, 1)) {
            NetworkWeights.save(f, net, null, NetworkWeights.metadata(macro()));
            float[] before = net.namedTensors().get("classifier.bias").toArray();

            Path missing = edited(dir, f, "layers.1.bn.running_var", null);
            WeightsException e = assertThrows(WeightsException.class, () -> NetworkWeights.load(missing, net, macro()));
            assertTrue(e.getMessage().contains("tensor layers.1.bn.running_var is missing (the architecture needs F32 [5])"), e.getMessage());

            Path shape = edited(dir, f, "layers.0.conv.weight", Safetensors.f32(new float[108], 4, 1, 3, 9));
            e = assertThrows(WeightsException.class, () -> NetworkWeights.load(shape, net, macro()));
            assertTrue(e.getMessage().contains("tensor layers.0.conv.weight has shape [4, 1, 3, 9], the architecture needs [4, 1, 3, 3]"),
                    e.getMessage());

            Path extra = edited(dir, f, "layers.2.conv.weight", Safetensors.f32(new float[1], 1));
            e = assertThrows(WeightsException.class, () -> NetworkWeights.load(extra, net, macro()));
            assertTrue(e.getMessage().contains("tensor layers.2.conv.weight is not in this architecture"), e.getMessage());

            Architecture other = ArchitectureCodec.parse("""
                    {"space": "macro-cnn", "layers": [
                      {"kh": 3, "kw": 3, "filters": 4, "stride": 1, "inputs": []},
                      {"kh": 1, "kw": 3, "filters": 5, "stride": 1, "inputs": [0]}]}""");
            e = assertThrows(WeightsException.class, () -> NetworkWeights.load(f, net, other));
            assertTrue(e.getMessage().contains("saved for another architecture"), e.getMessage());
            assertArrayEquals(before, net.namedTensors().get("classifier.bias").toArray(), "nothing loaded from a refused file");
        }
    }
}
