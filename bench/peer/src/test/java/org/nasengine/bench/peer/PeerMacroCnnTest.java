package org.nasengine.bench.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.Join;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.Batches;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.tensor.Tensor;

/** The peer is only worth comparing against if it is the same network trained the same way. */
class PeerMacroCnnTest {
    private static final String ARCH = """
            {"space": "macro-cnn", "layers": [
              {"kh": 3, "kw": 3, "filters": 6, "stride": 1, "inputs": []},
              {"kh": 3, "kw": 5, "filters": 5, "stride": 2, "inputs": [0]},
              {"kh": 1, "kw": 3, "filters": 4, "stride": 3, "inputs": [1]},
              {"kh": 5, "kw": 1, "filters": 7, "stride": 1, "inputs": [0, 1, 2]}
            ]}""";

    @BeforeAll
    static void offline() {
        Djl.configure(1);
    }

    @Test
    void joinPadsLikeOurs() {
        int[][] shapes = {{2, 3, 7, 6}, {2, 2, 4, 3}, {2, 1, 2, 6}, {2, 2, 7, 1}};
        SplittableRandom rnd = new SplittableRandom(5);
        try (NDManager m = NDManager.newBaseManager("PyTorch"); JavaBackend be = new JavaBackend()) {
            List<NDArray> peer = new ArrayList<>();
            List<Tensor> ours = new ArrayList<>();
            for (int[] s : shapes) {
                float[] v = new float[s[0] * s[1] * s[2] * s[3]];
                for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
                peer.add(m.create(v, new Shape(s[0], s[1], s[2], s[3])));
                ours.add(Tensor.of(be, v, s));
            }
            NDArray p = PeerMacroCnn.join(peer);
            Tensor o = Join.padConcat(ours);
            assertArrayEquals(o.shape(), toInts(p.getShape()), "joined shape");
            float[] want = o.toArray(), got = p.toFloatArray();
            for (int i = 0; i < want.length; i++)
                assertEquals(want[i], got[i], 0f, () -> "first mismatch of the join, shape " + p.getShape());
        }
    }

    @Test
    void parametersMatchTheSpecCount() {
        MacroCnn arch = ArchitectureCodec.parse(ARCH, MacroCnn.class);
        try (PeerTrainer t = new PeerTrainer(arch, 3, 11, 9, 10, 4, 0.05f, 1)) {
            assertEquals(arch.params(3, 10), t.parameterCount());
        }
    }

    @Test
    void trainingLowersTheLossAndEvaluationUsesRunningStatistics() {
        MacroCnn arch = ArchitectureCodec.parse(ARCH, MacroCnn.class);
        ImageDataset ds = new Synthetic(3, 12, 4, 7).dataset(256, 32, HoldOut.ofCount(64, 7));
        try (PeerTrainer t = new PeerTrainer(arch, 3, 12, 12, 4, 32, 0.1f, 1)) {
            Batches batches = new Batches(ds.train(), 32, 1).dropLast();
            float first = Float.NaN, last = Float.NaN;
            for (int epoch = 0; epoch < 6; epoch++) {
                while (batches.hasNext()) {
                    Batches.Batch b = batches.next();
                    last = t.step(b.images(), b.labels());
                    if (Float.isNaN(first)) first = last;
                }
                batches.nextEpoch();
            }
            assertTrue(last < 0.7 * first, "loss went " + first + " -> " + last);
            double acc = t.accuracy(ds.validation());
            assertTrue(acc > 0.5, "validation accuracy " + acc + " with running statistics (4 classes, chance 0.25)");
        }
    }

    @Test
    void nesterovStepFollowsOurFormula() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NesterovSgd sgd = NesterovSgd.builder().learningRate(0.5f).momentum(0.9f).optWeightDecays(0.1f).build();
            NDArray w = m.create(new float[] {1f, -2f});
            double[] want = {1, -2}, v = {0, 0};
            float[][] grads = {{0.5f, 1f}, {-1f, 0.25f}};
            for (float[] g : grads) {
                sgd.update("w", w, m.create(g));
                for (int i = 0; i < 2; i++) { // SgdConfig: g' = g + wd w; v = mu v + g'; w -= lr (g' + mu v)
                    double gp = g[i] + 0.1 * want[i];
                    v[i] = 0.9 * v[i] + gp;
                    want[i] -= 0.5 * (gp + 0.9 * v[i]);
                }
            }
            float[] got = w.toFloatArray();
            for (int i = 0; i < 2; i++) assertEquals(want[i], got[i], 1e-6 + 1e-6 * Math.abs(want[i]), "weight " + i);
        }
    }

    private static int[] toInts(Shape s) {
        int[] out = new int[s.dimension()];
        for (int i = 0; i < out.length; i++) out[i] = Math.toIntExact(s.get(i));
        return out;
    }
}
