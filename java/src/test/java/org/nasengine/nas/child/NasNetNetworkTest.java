package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNet.Block;
import org.nasengine.nas.space.NasNet.Combine;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.nn.Init;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** The whole NASNet child: the reference architecture trains, concat blocks and odd sizes shape up. */
class NasNetNetworkTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    static float[] randomImages(long seed, int count) {
        return Init.uniform(Init.rng(seed), 1f, count);
    }

    @Test
    void referenceArchitectureGivesLogitsAndOverfitsOneBatch() throws IOException {
        NasNet ref = (NasNet) ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-nasnet-a.json"));
        NasNet small = new NasNet(ref.normal(), ref.reduction(), 1, 8);
        int[] labels = {3, 7, 1, 3};
        try (NasNetNetwork net = new NasNetNetwork(small, 3, 32, 32, 10, be, 42);
             Sgd opt = new Sgd(net.parameters(), new SgdConfig(0.9f, 0f, false))) {
            float[] images = randomImages(7, 4 * 3 * 32 * 32);
            float[] losses = new float[9];
            for (int step = 0; step < losses.length; step++) {
                try (Scope s = Scope.open()) {
                    Tensor logits = net.forward(Tensor.of(be, images, 4, 3, 32, 32));
                    assertArrayEquals(new int[] {4, 10}, logits.shape());
                    Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, labels, 4));
                    losses[step] = loss.item();
                    assertTrue(Float.isFinite(losses[step]), "loss at step " + step + " is " + losses[step]);
                    if (step == losses.length - 1) break;
                    opt.zeroGrad();
                    loss.backward();
                    opt.step(0.05f);
                }
            }
            assertTrue(losses[8] < 0.5f * losses[0], "loss did not halve over 8 steps: " + java.util.Arrays.toString(losses));
        }
    }

    @Test
    void concatBlocksAndOddSizesShapeTheNetwork() {
        NasNet arch = new NasNet(
                List.of(new Block(0, NasNetOp.CONV_3X3, 1, NasNetOp.IDENTITY, Combine.CONCAT)),
                List.of(new Block(0, NasNetOp.MAX_POOL_3X3, 1, NasNetOp.SEP_CONV_3X3, Combine.CONCAT)), 1, 4);
        try (NasNetNetwork net = new NasNetNetwork(arch, 3, 9, 9, 10, be, 1)) {
            // stem 4x9x9; normal F=4 -> 8x9x9; reduction F=8 -> 16x5x5; normal -> 16x5x5;
            // reduction F=16 -> 32x3x3; normal -> 32x3x3; classifier 10
            int[][] expected = {{4, 9, 9}, {8, 9, 9}, {16, 5, 5}, {16, 5, 5}, {32, 3, 3}, {32, 3, 3}, {10}};
            List<LayerSummary> rows = net.summary();
            assertEquals(expected.length, rows.size(), () -> "summary rows " + rows);
            for (int i = 0; i < expected.length; i++)
                assertArrayEquals(expected[i], rows.get(i).outputShape(), "output shape of row " + rows.get(i).name());
            assertEquals(net.parameterCount(), rows.stream().mapToLong(LayerSummary::params).sum(), "summary params");
            assertTrue(net.flopsPerExample() > 0);
            try (Scope s = Scope.open()) {
                Tensor logits = net.forward(Tensor.of(be, randomImages(3, 2 * 3 * 9 * 9), 2, 3, 9, 9));
                assertArrayEquals(new int[] {2, 10}, logits.shape());
                logits.sum().backward();
            }
            for (Tensor p : net.parameters()) assertTrue(p.gradOrNull() != null, "no gradient reached " + p);
        }
    }

    @Test
    void stemAndClassifierRowsCountTheirWork() {
        NasNet arch = new NasNet(List.of(new Block(0, NasNetOp.CONV_1X1, 1, NasNetOp.IDENTITY, Combine.ADD)),
                List.of(new Block(0, NasNetOp.CONV_1X1, 1, NasNetOp.CONV_1X1, Combine.ADD)), 1, 4);
        try (NasNetNetwork net = new NasNetNetwork(arch, 3, 8, 8, 10, be, 1)) {
            List<LayerSummary> rows = net.summary();
            LayerSummary stem = rows.getFirst(), fc = rows.getLast();
            assertEquals(3 * 3 * 3 * 4 + 2 * 4, stem.params(), "stem: 3x3 conv 3->4 without bias, BN scale and shift");
            assertEquals(2.0 * 9 * 3 * 4 * 8 * 8, stem.flops(), 1e-9);
            // the last cell is a normal cell at F=16 with one add block: 16 channels
            assertEquals(16 * 10 + 10, fc.params());
        }
    }
}
