package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nn.Init;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** The NAS-Bench-201 child: parameters and FLOPs by formula, shapes, none edges, learning. */
class Nb201NetworkTest {
    static final String RESNET = "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|";
    static final String ALL_NONE = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    static final String ALL_CONV = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    static final String MIXED = "|nor_conv_1x1~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|";
    /** The benchmark's cell 10: node 3 has only none edges, so the cells output zeros (10% accuracy there). */
    static final String DISCONNECTED = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|none~2|";

    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    static Nb201 nb201(String cell, int channels, int cellsPerStage) {
        return new Nb201(Nb201.parseCell(cell), channels, cellsPerStage);
    }

    /** Stage widths C, 2C, 4C; a stage of width w > C starts with the reduction block from w/2. */
    static long expectedParams(Nb201 a, int imageChannels, int classes) {
        long c = a.channels();
        long total = 9 * imageChannels * c + 2 * c; // stem: 3x3 conv without bias, BN scale and shift
        for (int stage = 0; stage < 3; stage++) {
            long w = c << stage, in = w / 2;
            if (stage > 0) total += (9 * in * w + 2 * w) + (9 * w * w + 2 * w) + in * w; // conv_a, conv_b, 1x1 shortcut
            long cell = 0;
            for (Nb201.Op op : a.edges()) {
                cell += switch (op) {
                    case NOR_CONV_1X1 -> w * w + 2 * w;
                    case NOR_CONV_3X3 -> 9 * w * w + 2 * w;
                    case NONE, SKIP_CONNECT, AVG_POOL_3X3 -> 0;
                };
            }
            total += a.cellsPerStage() * cell;
        }
        long last = 4 * c;
        return total + 2 * last + last * classes + classes; // last BN, then fc with bias
    }

    /** Two FLOPs per multiply-add of every convolution and of the classifier; pooling, BN and sums count nothing. */
    static double expectedFlops(Nb201 a, int imageChannels, int size, int classes) {
        double c = a.channels();
        double total = 2.0 * 9 * imageChannels * c * size * size;
        for (int stage = 0; stage < 3; stage++) {
            double w = c * (1 << stage), in = w / 2, s = size >> stage, area = s * s;
            if (stage > 0) total += 2 * area * (9 * in * w + 9 * w * w + in * w);
            for (Nb201.Op op : a.edges()) {
                if (op == Nb201.Op.NOR_CONV_1X1) total += a.cellsPerStage() * 2 * area * w * w;
                if (op == Nb201.Op.NOR_CONV_3X3) total += a.cellsPerStage() * 2 * area * 9 * w * w;
            }
        }
        return total + 2 * 4 * c * classes;
    }

    @Test
    void parameterCountMatchesTheFormula() {
        for (String cell : List.of(RESNET, ALL_NONE, ALL_CONV, MIXED, DISCONNECTED)) {
            for (int imageChannels : new int[] {3, 1}) {
                Nb201 a = nb201(cell, Nb201.DEFAULT_CHANNELS, Nb201.DEFAULT_CELLS_PER_STAGE);
                try (Nb201Network net = new Nb201Network(a, imageChannels, 32, 32, 10, be, 1)) {
                    assertEquals(expectedParams(a, imageChannels, 10), net.parameterCount(), cell + " on " + imageChannels + " channels");
                    assertEquals(net.parameterCount(), net.summary().stream().mapToLong(LayerSummary::params).sum(), "summary rows " + cell);
                }
            }
        }
        Nb201 small = nb201(MIXED, 8, 2);
        try (Nb201Network net = new Nb201Network(small, 3, 16, 16, 7, be, 1)) {
            assertEquals(expectedParams(small, 3, 7), net.parameterCount());
        }
        // sanity: the benchmark reports 0.073M to 1.53M parameters for its CIFAR-10 networks
        assertEquals(0.073, expectedParams(nb201(ALL_NONE, 16, 5), 3, 10) / 1e6, 5e-4);
        assertEquals(1.53, expectedParams(nb201(ALL_CONV, 16, 5), 3, 10) / 1e6, 5e-3);
    }

    @Test
    void flopsMatchTheFormula() {
        for (String cell : List.of(RESNET, MIXED, ALL_NONE)) {
            Nb201 a = nb201(cell, 16, 5);
            try (Nb201Network net = new Nb201Network(a, 3, 32, 32, 10, be, 1)) {
                assertEquals(expectedFlops(a, 3, 32, 10), net.flopsPerExample(), 1e-6 * net.flopsPerExample(), cell);
            }
        }
        // sanity: the benchmark reports 7.78 to 220.11 MFLOPs on CIFAR-10, counting multiply-adds (our FLOPs / 2)
        assertEquals(7.78, expectedFlops(nb201(ALL_NONE, 16, 5), 3, 32, 10) / 2e6, 0.005);
        assertEquals(220.11, expectedFlops(nb201(ALL_CONV, 16, 5), 3, 32, 10) / 2e6, 0.02);
    }

    @Test
    void stagesHalveTheSizeAndDoubleTheWidth() {
        // fashion-mnist 28x28: stages at 16x28x28, 32x14x14, 64x7x7
        try (Nb201Network net = new Nb201Network(nb201(RESNET, 16, 2), 1, 28, 28, 10, be, 1)) {
            List<LayerSummary> rows = net.summary();
            int[][] expected = {{16, 28, 28}, {16, 28, 28}, {16, 28, 28}, {32, 14, 14}, {32, 14, 14}, {32, 14, 14},
                    {64, 7, 7}, {64, 7, 7}, {64, 7, 7}, {64, 7, 7}, {10}};
            assertEquals(expected.length, rows.size(), () -> "summary rows " + rows.stream().map(LayerSummary::name).toList());
            for (int i = 0; i < expected.length; i++)
                assertArrayEquals(expected[i], rows.get(i).outputShape(), "output shape of row " + rows.get(i).name());
            assertTrue(rows.get(3).name().startsWith("reduction 0"), rows.get(3).name());
        }
        // odd sizes: 9 -> 5 -> 3, the shortcut pooling padded to agree with the strided convolution
        for (int[] chw : new int[][] {{1, 28, 28}, {3, 32, 32}, {1, 16, 16}, {3, 9, 9}, {2, 10, 7}}) {
            try (Nb201Network net = new Nb201Network(nb201(MIXED, 4, 1), chw[0], chw[1], chw[2], 10, be, 2);
                 Scope s = Scope.open()) {
                Tensor logits = net.forward(Tensor.of(be, NasNetNetworkTest.randomImages(5, 2 * chw[0] * chw[1] * chw[2]), 2, chw[0], chw[1], chw[2]));
                assertArrayEquals(new int[] {2, 10}, logits.shape());
                logits.sum().backward();
                for (Tensor p : net.parameters()) assertTrue(p.gradOrNull() != null, "no gradient reached " + p);
            }
        }
    }

    @Test
    void skipEdgesSumWithFanOut() {
        // node1 = x, node2 = x + node1 = 2x, node3 = x + node2 = 3x; d sum(out) / dx = 3
        Nb201 a = nb201("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|none~1|skip_connect~2|", 2, 1);
        try (Nb201Cell cell = new Nb201Cell(a, 2, be, Init.rng(1)); Scope s = Scope.open()) {
            float[] xs = NasNetNetworkTest.randomImages(9, 2 * 2 * 3 * 3);
            Tensor x = Tensor.of(be, xs, 2, 2, 3, 3).requireGrad();
            Tensor out = cell.forward(x);
            float[] got = out.toArray();
            for (int i = 0; i < xs.length; i++) assertEquals(3 * xs[i], got[i], 1e-6, "out[" + i + "]");
            out.sum().backward();
            for (float g : x.gradToArray()) assertEquals(3f, g, 1e-6);
            assertEquals(0, cell.parameterCount());
            assertEquals(0, cell.flops(3, 3));
        }
    }

    @Test
    void averagePoolDoesNotCountThePadding() {
        // node1 = avgpool(x), node2 = node1, node3 = node2
        Nb201 a = nb201("|avg_pool_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", 1, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // (1, 1, 3, 3)
        try (Nb201Cell cell = new Nb201Cell(a, 1, be, Init.rng(1)); Scope s = Scope.open()) {
            float[] y = cell.forward(Tensor.of(be, x, 1, 1, 3, 3)).toArray();
            assertEquals((1 + 2 + 4 + 5) / 4f, y[0], 1e-6, "corner: 4 pixels in the window");
            assertEquals((1 + 2 + 3 + 4 + 5 + 6) / 6f, y[1], 1e-6, "edge: 6 pixels");
            assertEquals(5f, y[4], 1e-6, "centre: all 9");
        }
    }

    @Test
    void noneCellsGiveZerosAndTheNetworkStillTrains() {
        for (String cell : List.of(ALL_NONE, DISCONNECTED)) {
            Nb201 a = nb201(cell, 4, 1);
            try (Nb201Cell c = new Nb201Cell(a, 4, be, Init.rng(1)); Scope s = Scope.open()) {
                float[] out = c.forward(Tensor.of(be, NasNetNetworkTest.randomImages(3, 2 * 4 * 5 * 5), 2, 4, 5, 5)).toArray();
                for (int i = 0; i < out.length; i++) assertEquals(0f, out[i], "cell " + cell + " output[" + i + "]");
            }
            int[] labels = {1, 0, 3, 2};
            try (Nb201Network net = new Nb201Network(a, 3, 16, 16, 10, be, 3); Sgd opt = new Sgd(net.parameters())) {
                float[] images = NasNetNetworkTest.randomImages(4, 4 * 3 * 16 * 16);
                for (int step = 0; step < 3; step++) {
                    try (Scope s = Scope.open()) {
                        Tensor logits = net.forward(Tensor.of(be, images, 4, 3, 16, 16));
                        assertArrayEquals(new int[] {4, 10}, logits.shape());
                        for (float v : logits.toArray()) assertTrue(Float.isFinite(v), cell + ": logit " + v + " at step " + step);
                        Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, labels, 4));
                        assertTrue(Float.isFinite(loss.item()), cell + ": loss " + loss.item());
                        opt.zeroGrad();
                        loss.backward();
                        opt.step(0.05f);
                    }
                }
            }
        }
    }

    @Test
    void tinyNetworkLearnsSyntheticImages() {
        ImageDataset ds = new Synthetic(1, 16, 10, 3).dataset(800, 200, HoldOut.ofCount(200, 3));
        TrainConfig cfg = new TrainConfig(2, 32, 0.05f, "sgd", 0.9f, 1e-4f, true, "cosine", 0, 1, false, false, 3);
        try (Nb201Network net = new Nb201Network(nb201(RESNET, 4, 1), 1, 16, 16, 10, be, 3)) {
            TrainResult r = ImageTrainer.train(net, ds.train(), ds.validation(), ds.test(), cfg, new ImageTrainer.Listener() {});
            assertEquals("ok", r.status(), r.error());
            assertTrue(r.lastValAccuracy() > 0.3, "validation accuracy " + r.lastValAccuracy() + " (chance 0.1)");
        }
    }
}
