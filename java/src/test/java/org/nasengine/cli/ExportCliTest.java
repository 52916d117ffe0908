package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.export.NetworkWeights;
import org.nasengine.export.Safetensors;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;

/** export end to end: ONNX and PyTorch files from a saved network, and every bad input a one-line error, exit 2. */
class ExportCliTest {

    /** A file like {@code from} with the first occurrence of {@code what} in its bytes replaced (same length). */
    private static Path patched(Path dir, Path from, String what, String with) throws Exception {
        byte[] all = Files.readAllBytes(from);
        String s = new String(all, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(what);
        assertTrue(at > 0 && what.length() == with.length(), what);
        byte[] w = with.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(w, 0, all, at, w.length);
        Path out = dir.resolve("patched.safetensors");
        Files.write(out, all);
        return out;
    }

    private static void refused(Cli.Run r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("at org."), "no stack trace: " + r.err());
    }

    @Test
    void rnnCellModelsExportToPyTorchOnly(@TempDir Path dir) throws Exception {
        Path arch = SharedFiles.path("spec/arch/ref-rnn-a.json"), weights = dir.resolve("lm.safetensors");
        RnnCell cell = ArchitectureCodec.parse(Files.readString(arch), RnnCell.class);
        try (JavaBackend be = new JavaBackend(); RnnLanguageModel lm = new RnnLanguageModel(cell, 50, 8, 0.5f, 0.05f, be, 1)) {
            java.util.Map<String, String> meta = NetworkWeights.metadata(cell);
            meta.put("vocab", "50");
            meta.put("hidden", "8");
            NetworkWeights.save(weights, lm, null, meta);
        }
        Cli.Run py = Cli.run("export", "--arch", arch.toString(), "--weights", weights.toString(), "--format", "pytorch",
                "--out", dir.resolve("lm.py").toString());
        assertEquals(0, py.exit(), py.err());
        assertTrue(Files.readString(dir.resolve("lm.py")).contains("VOCAB = 50\nHIDDEN = 8"));
        refused(Cli.run("export", "--arch", arch.toString(), "--weights", weights.toString(), "--format", "onnx",
                "--out", dir.resolve("lm.onnx").toString()), "for rnn-cell use --format pytorch");
    }

    @Test
    void exportsAndRefusesWhatDoesNotFit(@TempDir Path dir) throws Exception {
        Path arch = Cli.smallArch(dir), weights = dir.resolve("net.safetensors");
        Cli.Run trained = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1", "--batch", "64",
                "--max-steps", "2", "--validation", "500", "--device", "java", "--save", weights.toString());
        assertEquals(0, trained.exit(), trained.err());
        String a = arch.toString(), w = weights.toString();

        Cli.Run onnx = Cli.run("export", "--arch", a, "--weights", w, "--format", "onnx", "--out", dir.resolve("model.onnx").toString());
        assertEquals(0, onnx.exit(), onnx.err());
        assertTrue(Files.size(dir.resolve("model.onnx")) > Files.size(weights) / 2, "the weights are in the graph");
        Cli.Run py = Cli.run("export", "--arch", a, "--weights", w, "--format", "pytorch", "--out", dir.resolve("model.py").toString());
        assertEquals(0, py.exit(), py.err());
        String module = Files.readString(dir.resolve("model.py"));
        assertTrue(module.contains("class Network(nn.Module)") && module.contains("m[\"layers.2.conv\"]")
                && module.contains("def read_safetensors"), "a self-contained module");

        refused(Cli.run("export", "--arch", a, "--weights", w, "--format", "tflite", "--out", dir.resolve("m").toString()),
                "expected one of [onnx, pytorch]");
        refused(Cli.run("export", "--arch", a, "--weights", w, "--format", "onnx", "--out", dir.resolve("no/such/m.onnx").toString()),
                "does not exist");
        refused(Cli.run("export", "--arch", a, "--weights", w, "--format", "onnx", "--out", dir.toString()), "is a directory");
        refused(Cli.run("export", "--arch", a, "--weights", dir.resolve("none.safetensors").toString(), "--format", "onnx",
                "--out", dir.resolve("m.onnx").toString()), "none.safetensors: no such file");

        // a missing tensor, a wrong shape, a wrong dtype, a truncated file
        Safetensors.Contents c = Safetensors.read(weights);
        LinkedHashMap<String, Safetensors.Entry> t = new LinkedHashMap<>(c.tensors());
        t.remove("layers.1.bn.running_mean");
        Path missing = dir.resolve("missing.safetensors");
        Safetensors.write(missing, t, c.metadata());
        refused(Cli.run("export", "--arch", a, "--weights", missing.toString(), "--format", "onnx", "--out", dir.resolve("m.onnx").toString()),
                "tensor layers.1.bn.running_mean is missing (the architecture needs F32 [8])");

        t = new LinkedHashMap<>(c.tensors());
        t.put("classifier.weight", Safetensors.f32(new float[80], 8, 10));
        Path shape = dir.resolve("shape.safetensors");
        Safetensors.write(shape, t, c.metadata());
        refused(Cli.run("export", "--arch", a, "--weights", shape.toString(), "--format", "pytorch", "--out", dir.resolve("m.py").toString()),
                "tensor classifier.weight has shape [8, 10], the architecture needs [10, 8]");

        Path dtype = patched(dir, weights, "\"layers.0.bn.bias\":{\"dtype\":\"F32\"", "\"layers.0.bn.bias\":{\"dtype\":\"I32\"");
        refused(Cli.run("train", "--arch", a, "--dataset", "synthetic", "--epochs", "0", "--device", "java", "--load", dtype.toString()),
                "tensor layers.0.bn.bias has dtype I32, expected F32");

        byte[] all = Files.readAllBytes(weights);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 10));
        refused(Cli.run("export", "--arch", a, "--weights", cut.toString(), "--format", "onnx", "--out", dir.resolve("m.onnx").toString()),
                "tensor classifier.bias: data");
        refused(Cli.run("export", "--arch", a, "--weights", cut.toString(), "--format", "onnx", "--out", dir.resolve("m.onnx").toString()),
                "truncated");
    }
}
