package org.nasengine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.ChannelStats;
import org.nasengine.data.RawImages;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The generated PyTorch modules, loaded with their safetensors files by the module's own loader,
 * give our logits within |torch - ours| <= 1e-4 + 1e-3 |ours|. Needs a python3 with torch (Debian:
 * apt-get install python3-torch); without one only the syntax is checked, and the test says so.
 */
class PyTorchExportTest {
    static final String ATOL = "1e-4", RTOL = "1e-3";
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    /** The first of python3 interpreters that imports torch, or null. */
    static String pythonWithTorch() {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            if (runs(List.of(p, "-c", "import torch"))) return p;
        }
        return null;
    }

    private static boolean runs(List<String> cmd) {
        try {
            Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return pr.waitFor(120, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void writeFloats(Path file, float[] v) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    private void imageCase(Path root, String name, Architecture arch, int c, int h, int w, long seed) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Rng rng = new Rng(seed);
        try (ImageNetwork net = ChildBuilder.image(arch, c, h, w, 10, be, seed)) {
            OnnxExportTest.randomize(net, rng);
            float[] mean = new float[c], std = new float[c];
            for (int k = 0; k < c; k++) {
                mean[k] = (float) (0.3 + 0.4 * rng.nextDouble());
                std[k] = (float) (0.2 + 0.2 * rng.nextDouble());
            }
            ChannelStats norm = new ChannelStats(mean, std);
            int n = 3;
            byte[] px = new byte[n * c * h * w];
            for (int i = 0; i < px.length; i++) px[i] = (byte) rng.nextInt(256);
            float[] unit = new float[px.length];
            for (int i = 0; i < px.length; i++) unit[i] = (px[i] & 0xff) / 255f;
            float[] ours;
            net.eval();
            try (Tape.Guard g = Tape.noGrad();
                 Tensor x = Tensor.of(be, norm.normalise(new RawImages(px, new int[n], c, h, w, 10)), n, c, h, w)) {
                ours = net.forward(x).toArray();
            }
            Map<String, String> meta = NetworkWeights.imageMetadata(arch, c, h, w, 10, "random");
            NetworkWeights.save(dir.resolve("weights.safetensors"), net, norm, meta);
            Files.writeString(dir.resolve("model.py"), PyTorchExporter.image(ImageGraphs.of(net, norm, c, h, w), meta));
            writeFloats(dir.resolve("input.bin"), unit);
            writeFloats(dir.resolve("expected.bin"), ours);
            Files.writeString(dir.resolve("shape.txt"), n + " " + c + " " + h + " " + w + " image");
        }
    }

    private void languageCase(Path root, String name, RnnCell cell, long seed) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        int vocab = 37, hidden = 6, n = 2, steps = 5;
        try (RnnLanguageModel model = new RnnLanguageModel(cell, vocab, hidden, 0.5f, 0.3f, be, seed)) {
            Rng rng = new Rng(seed);
            int[] ids = new int[n * steps];
            for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
            float[] ours;
            model.eval();
            try (Tape.Guard g = Tape.noGrad(); Tensor t = Tensor.ints(be, ids, n, steps)) {
                ours = model.forward(t, model.zeroState(n)).logits().toArray(); // (N*T, V), rows (n, t)
            }
            Map<String, String> meta = NetworkWeights.metadata(cell);
            NetworkWeights.save(dir.resolve("weights.safetensors"), model, null, meta);
            Files.writeString(dir.resolve("model.py"), PyTorchExporter.rnnCell(cell, vocab, hidden, RnnLanguageModel.LAYERS, meta));
            ByteBuffer b = ByteBuffer.allocate(4 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(ids);
            Files.write(dir.resolve("input.bin"), b.array());
            writeFloats(dir.resolve("expected.bin"), ours);
            Files.writeString(dir.resolve("shape.txt"), n + " " + steps + " lm");
        }
    }

    @Test
    void exportedModulesGiveOurLogits(@TempDir Path root) throws Exception {
        List<String> cases = new ArrayList<>();
        Architecture refA = ArchitectureCodec.parse(Files.readString(SharedFiles.path("spec/arch/ref-cnn-a.json")));
        imageCase(root, "ref-cnn-a", refA, 1, 13, 13, 1);
        cases.add("ref-cnn-a");
        Architecture nasnet = ArchitectureCodec.parse(Files.readString(SharedFiles.path("spec/arch/ref-nasnet-a.json")));
        imageCase(root, "ref-nasnet-a", nasnet, 3, 11, 11, 2);
        cases.add("ref-nasnet-a");
        imageCase(root, "nb201-none", new Nb201(Nb201.parseCell(
                "|avg_pool_3x3~0|+|none~0|none~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_3x3~2|"), 4, 1), 3, 11, 11, 3);
        cases.add("nb201-none");
        MacroCnnSpace macro = new MacroCnnSpace(6, new int[] {1, 3, 5, 7}, new int[] {4, 6}, new int[] {1, 2, 3});
        NasNetSpace nas = new NasNetSpace(3, 1, 4);
        for (int i = 0; i < 3; i++) {
            imageCase(root, "macro" + i, macro.decode(Sampling.uniform(macro, new Rng(40 + i))), 1, 13, 13, 40 + i);
            imageCase(root, "nasnet" + i, nas.decode(Sampling.uniform(nas, new Rng(50 + i))), 3, 11, 11, 50 + i);
            cases.addAll(List.of("macro" + i, "nasnet" + i));
        }
        RnnCell cell = ArchitectureCodec.parse(Files.readString(SharedFiles.path("spec/arch/ref-rnn-a.json")), RnnCell.class);
        languageCase(root, "ref-rnn-a", cell, 4);
        cases.add("ref-rnn-a");

        String python = pythonWithTorch();
        if (python == null) {
            // no torch: at least the generated Python must compile
            List<String> compile = new ArrayList<>(List.of("python3", "-m", "py_compile"));
            for (String c : cases) compile.add(root.resolve(c).resolve("model.py").toString());
            assumeTrue(!runs(List.of("python3", "--version")) || runs(compile), "generated modules do not compile");
            assumeTrue(false, "skipping the PyTorch comparison: no python3 with torch (apt-get install python3-torch)");
        }
        Path script = root.resolve("check_pytorch.py");
        try (InputStream in = PyTorchExportTest.class.getResourceAsStream("check_pytorch.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), root.toString(), ATOL, RTOL));
        cmd.addAll(cases);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        System.out.print(out);
        assertEquals(0, p.exitValue(), out);
    }
}
