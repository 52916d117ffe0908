package org.nasengine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.ChannelStats;
import org.nasengine.data.RawImages;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The exported ONNX graph, run by ONNX Runtime on raw [0, 1] images, gives our logits (our network
 * on the same images normalised as in training) within |ort - ours| <= ATOL + RTOL * |ours|: for
 * the reference architectures and 20 random children of each image space, with random weights
 * and batch-norm statistics, on odd image sizes so that joins and pools pad unevenly.
 */
class OnnxExportTest {
    static final double ATOL = 1e-4, RTOL = 1e-3;
    static final int BATCH = 2, CHILDREN = 20;

    private static OrtEnvironment env;
    private static double worstSeen;
    private static int networks;
    private final JavaBackend be = new JavaBackend();

    @BeforeAll
    static void start() {
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void stop() {
        System.out.printf("onnx: %d networks, largest |ort - ours| %.3g%n", networks, worstSeen);
        env.close();
    }

    /** Every weight and statistic drawn so that evaluation-mode batch norm is not the identity. */
    static void randomize(ImageNetwork net, Rng rng) {
        for (var t : net.namedTensors().entrySet()) {
            float[] v = t.getValue().toArray();
            String n = t.getKey();
            for (int i = 0; i < v.length; i++) {
                double u = rng.nextDouble();
                if (n.endsWith("bn.weight") || n.endsWith("running_var")) v[i] = (float) (0.5 + u);
                else if (n.endsWith("bn.bias") || n.endsWith("running_mean")) v[i] = (float) (0.4 * u - 0.2);
                else if (n.endsWith(".bias")) v[i] = (float) (u - 0.5);
            }
            if (n.endsWith(".weight") && !n.contains("bn.")) continue; // keep the He-uniform convolution and fc weights
            t.getValue().set(v);
        }
    }

    /** Runs one architecture both ways; returns the largest |ort - ours|. */
    private double check(String label, Architecture arch, int c, int h, int w, long seed) throws Exception {
        Rng rng = new Rng(seed);
        try (ImageNetwork net = ChildBuilder.image(arch, c, h, w, 10, be, seed)) {
            randomize(net, rng);
            float[] mean = new float[c], std = new float[c];
            for (int k = 0; k < c; k++) {
                mean[k] = (float) (0.3 + 0.4 * rng.nextDouble());
                std[k] = (float) (0.2 + 0.2 * rng.nextDouble());
            }
            ChannelStats norm = new ChannelStats(mean, std);
            byte[] px = new byte[BATCH * c * h * w];
            for (int i = 0; i < px.length; i++) px[i] = (byte) rng.nextInt(256);
            RawImages raw = new RawImages(px, new int[BATCH], c, h, w, 10);
            float[] unit = new float[px.length]; // what a user has: pixel / 255
            for (int i = 0; i < px.length; i++) unit[i] = (px[i] & 0xff) / 255f;

            float[] ours;
            net.eval();
            try (Tape.Guard g = Tape.noGrad(); Tensor x = Tensor.of(be, norm.normalise(raw), BATCH, c, h, w)) {
                ours = net.forward(x).toArray();
            }
            byte[] model = OnnxExporter.model(ImageGraphs.of(net, norm, c, h, w), Map.of()).toByteArray();
            float[] theirs;
            try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(unit), new long[] {BATCH, c, h, w});
                 OrtSession.Result r = s.run(Map.of("images", in))) {
                float[][] out = (float[][]) r.get("logits").orElseThrow().getValue();
                assertEquals(BATCH, out.length);
                theirs = new float[BATCH * out[0].length];
                for (int b = 0; b < BATCH; b++) System.arraycopy(out[b], 0, theirs, b * out[b].length, out[b].length);
            }
            assertEquals(ours.length, theirs.length, label + ": logits (N, classes)");
            double worst = 0;
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < ours.length; i++) {
                double d = Math.abs(theirs[i] - ours[i]);
                worst = Math.max(worst, d);
                if (!(d <= ATOL + RTOL * Math.abs(ours[i])) && bad.size() < 5)
                    bad.add("[" + i / 10 + ", " + i % 10 + "] ort " + theirs[i] + " ours " + ours[i]);
            }
            worstSeen = Math.max(worstSeen, worst);
            networks++;
            if (!bad.isEmpty()) fail(label + " (" + ArchitectureCodec.toCompactJson(arch) + "), logits (" + BATCH + ", 10): " + bad);
            return worst;
        }
    }

    @Test
    void referenceArchitecturesAgreeWithOnnxRuntime() throws Exception {
        for (String file : List.of("ref-cnn-a.json", "ref-cnn-b.json", "ref-nasnet-a.json")) {
            Architecture arch = ArchitectureCodec.parse(Files.readString(SharedFiles.path("spec/arch/" + file)));
            check(file, arch, 3, 15, 15, 1);
        }
        // the CliTest ResNet-like cell and one of every edge kind, a none node included
        check("nb201 resnet", new Nb201(Nb201.parseCell("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|"),
                8, 2), 3, 15, 15, 2);
        check("nb201 mixed", new Nb201(Nb201.parseCell("|avg_pool_3x3~0|+|none~0|none~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_3x3~2|"),
                8, 1), 1, 13, 13, 3);
    }

    @Test
    void randomMacroChildrenAgreeJoinsOfDifferentSizesIncluded() throws Exception {
        MacroCnnSpace space = new MacroCnnSpace(6, new int[] {1, 3, 5, 7}, new int[] {4, 6, 8}, new int[] {1, 2, 3});
        int unevenJoins = 0;
        for (int i = 0; i < CHILDREN; i++) {
            MacroCnn arch = (MacroCnn) space.decode(Sampling.uniform(space, new Rng(100 + i)));
            unevenJoins += unevenJoins(arch, 13);
            check("macro child " + i, arch, 1, 13, 13, 100 + i);
        }
        assertTrue(unevenJoins >= 5, "children with joins of different sizes: " + unevenJoins);
    }

    @Test
    void randomNasNetChildrenAgree() throws Exception {
        children("nasnet", new NasNetSpace(3, 1, 4), 3, 11, 200);
    }

    @Test
    void randomNb201ChildrenAgree() throws Exception {
        children("nb201", new Nb201Space(4, 1), 3, 11, 300);
    }

    private void children(String label, DecisionSpace space, int c, int size, long seed) throws Exception {
        for (int i = 0; i < CHILDREN; i++) {
            Architecture arch = space.decode(Sampling.uniform(space, new Rng(seed + i)));
            check(label + " child " + i, arch, c, size, size, seed + i);
        }
    }

    /** Joins (a layer's inputs, or the classifier's) whose inputs differ in size, on square images of {@code size}. */
    private static int unevenJoins(MacroCnn arch, int size) {
        int[] out = arch.outputSizes(size);
        List<List<Integer>> joins = new ArrayList<>();
        for (int i = 0; i < arch.size(); i++) joins.add(arch.layer(i).inputs());
        joins.add(arch.unreadOutputs());
        int n = 0;
        for (List<Integer> j : joins) if (j.stream().mapToInt(k -> out[k]).distinct().count() > 1) n++;
        return n;
    }
}
