package org.nasengine.nas.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.Slices;
import org.nasengine.backend.Backend;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.child.NasNetCell;
import org.nasengine.nas.child.NasNetNetwork;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** What a child computes through the shared weights is what the child itself computes. */
class SupernetTest {
    private static final Nb201 CELL = new Nb201(
            Nb201.parseCell("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|"), 2, 1);
    private static final MacroCnn MACRO = new MacroCnn(List.of(new MacroCnn.Layer(3, 1, 4, 1), new MacroCnn.Layer(1, 3, 2, 2, 0),
            new MacroCnn.Layer(3, 3, 4, 1, 0, 1), new MacroCnn.Layer(1, 1, 2, 1)));

    private static float[] images(int n, int c, int size) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * c * size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void aOneHotMixtureIsTheChild() {
        try (JavaBackend be = new JavaBackend(); Scope s = Scope.open(); Tape.Guard g = Tape.noGrad();
             Nb201Supernet net = new Nb201Supernet(2, 1, 3, 8, 8, 4, be, 1)) {
            Tensor x = Tensor.of(be, images(3, 3, 8), 3, 3, 8, 8);
            float[] child = net.forward(CELL, x).toArray();
            float[] oneHot = new float[Nb201.EDGES * EdgeMix.OPS];
            for (int e = 0; e < Nb201.EDGES; e++) oneHot[e * EdgeMix.OPS + CELL.edges().get(e).ordinal()] = 1f;
            float[] mixed = net.mix(EdgeMix.all(Tensor.of(be, oneHot, Nb201.EDGES, EdgeMix.OPS))).forward(x).toArray();
            close(child, mixed, 1e-9, "one-hot DARTS mixture vs the ENAS child");
        }
    }

    @Test
    void aMacroChildThroughTheSupernetIsTheChildWithTheSlicedWeights() {
        int[] kernels = {1, 3, 5}, filters = {2, 4};
        try (JavaBackend be = new JavaBackend(); Scope s = Scope.open(); Tape.Guard g = Tape.noGrad();
             MacroSupernet sup = new MacroSupernet(4, kernels, filters, 2, 9, 9, 3, be, 1);
             MacroCnnNetwork child = new MacroCnnNetwork(MACRO, 2, 9, 9, 3, be, 5)) {
            // the child's parameters: per layer conv, BN scale, BN shift; then classifier weight and bias
            List<Tensor> master = sup.parameters(), own = child.parameters();
            int f = 4, k = 5;
            for (int i = 0; i < MACRO.size(); i++) {
                MacroCnn.Layer l = MACRO.layer(i);
                int[] starts = l.readsImage() ? new int[] {0} : l.inputs().stream().mapToInt(j -> 2 + f * j).toArray();
                int[] lengths = l.readsImage() ? new int[] {2} : l.inputs().stream().mapToInt(j -> MACRO.layer(j).filters()).toArray();
                int cin = Arrays.stream(lengths).sum();
                own.get(3 * i).set(Slices.gather(master.get(3 * i), new int[] {f, 2 + f * i, k, k}, l.filters(), starts, lengths, l.kh(),
                        l.kw(), l.filters(), cin, l.kh(), l.kw()).toArray());
                for (int p = 1; p <= 2; p++)
                    own.get(3 * i + p).set(Arrays.copyOf(master.get(3 * i + p).toArray(), l.filters()));
            }
            List<Integer> unread = MACRO.unreadOutputs();
            own.get(3 * MACRO.size()).set(Slices.gather(master.get(3 * MACRO.size()), new int[] {3, f * 4, 1, 1}, 3,
                    unread.stream().mapToInt(j -> f * j).toArray(), unread.stream().mapToInt(j -> MACRO.layer(j).filters()).toArray(), 1, 1,
                    3, 6).toArray());
            own.get(3 * MACRO.size() + 1).set(master.get(3 * MACRO.size() + 1).toArray());
            Tensor x = Tensor.of(be, images(3, 2, 9), 3, 2, 9, 9);
            close(child.forward(x).toArray(), sup.forward(MACRO, x).toArray(), 1e-9, "macro child vs supernet");
            assertEquals(MacroCnnNetwork.cost(MACRO, 2, 9, 9, 3).flops(), sup.childFlops(MACRO));
            assertThrows(IllegalArgumentException.class, () -> sup.forward(new MacroCnn(List.of(new MacroCnn.Layer(7, 7, 4, 1))), x));
        }
    }

    /**
     * Blocks that read only the cell inputs (so the NASNet cell's output, its unread blocks, is all
     * of them, as in the DARTS-form supernet), an identity on an input of F channels and one on a
     * strided input, and a block reading one input twice.
     */
    private static final NasNet CELLS = new NasNet(
            List.of(new NasNet.Block(1, NasNetOp.SEP_CONV_3X3, 0, NasNetOp.IDENTITY, NasNet.Combine.ADD),
                    new NasNet.Block(0, NasNetOp.MAX_POOL_3X3, 1, NasNetOp.DIL_CONV_3X3, NasNet.Combine.ADD)),
            List.of(new NasNet.Block(0, NasNetOp.AVG_POOL_3X3, 1, NasNetOp.SEP_CONV_5X5, NasNet.Combine.ADD),
                    new NasNet.Block(1, NasNetOp.IDENTITY, 1, NasNetOp.MAX_POOL_3X3, NasNet.Combine.ADD)),
            1, 2);

    @Test
    void aNasNetChildThroughTheSupernetIsTheChildBuiltAlone() {
        try (JavaBackend be = new JavaBackend(); Scope s = Scope.open(); Tape.Guard g = Tape.noGrad();
             NasNetSupernet sup = new NasNetSupernet(2, 2, 1, 2, 8, 8, 3, be, 1);
             NasNetNetwork child = (NasNetNetwork) ChildBuilder.image(CELLS, 2, 8, 8, 3, be, 5)) {
            copy(sup.stem(), child.stem());
            copy(sup.stemNorm(), child.stemNorm());
            copy(sup.classifier(), child.classifier());
            assertEquals(5, child.cells().size());
            for (int i = 0; i < 5; i++) {
                MixedNasNetCell from = sup.cells().get(i);
                NasNetCell to = child.cells().get(i);
                assertEquals(to.agree() == null, from.agree() == null, "cell " + i + " agreement");
                if (to.agree() != null) copy(from.agree(), to.agree());
                for (int b = 0; b < 2; b++)
                    for (int k = 0; k < 2; k++) {
                        NasNet.Block block = to.blocks().get(b);
                        copy(from.op(b, block.inputs().get(k), sup.edges().column(block.ops().get(k))), to.op(b, k));
                    }
            }
            Tensor x = Tensor.of(be, images(3, 2, 8), 3, 2, 8, 8);
            float[] alone = child.forward(x).toArray();
            close(alone, sup.forward(CELLS, x).toArray(), 1e-9, "nasnet child alone vs through the supernet");
            close(alone, sup.mix(EdgeMix.all(Tensor.of(be, oneHot(sup.edges(), CELLS), sup.alphaRows(), sup.alphaCols())))
                    .forward(x).toArray(), 1e-9, "nasnet child alone vs a one-hot DARTS mixture");
            assertEquals(child.flopsPerExample(), sup.childFlops(CELLS), 1e-6);
        }
    }

    /** alpha's one-hot form of a child: weight 1 on each block's operation on its input's edge, none on every other edge. */
    private static float[] oneHot(NasNetEdges edges, NasNet cells) {
        float[] a = new float[edges.rows() * edges.cols()];
        for (int r = 0; r < edges.rows(); r++) a[r * edges.cols()] = 1f;
        for (boolean reduction : new boolean[] {false, true}) {
            List<NasNet.Block> blocks = reduction ? cells.reduction() : cells.normal();
            for (int b = 0; b < blocks.size(); b++)
                for (int k = 0; k < 2; k++) {
                    int r = edges.row(reduction, b, blocks.get(b).inputs().get(k));
                    a[r * edges.cols()] = 0f;
                    a[r * edges.cols() + edges.column(blocks.get(b).ops().get(k))] += 1f;
                }
        }
        return a;
    }

    /** Every tensor of {@code from} into the tensor of the same name in {@code to} (whose affine BN keeps its scale 1 and shift 0). */
    private static void copy(Module from, Module to) {
        from.namedTensors().forEach((name, t) -> to.namedTensors().get(name).set(t.toArray()));
    }

    @Test
    void supernetsAgreeOnTheNativeBackend() {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        float[] ref = mixedLogits(new JavaBackend()), cpu = mixedLogits(new NativeBackend());
        close(ref, cpu, 1e-4, "nb201 DARTS mixture, java vs cpu");
        close(nasnetLogits(new JavaBackend()), nasnetLogits(new NativeBackend()), 1e-4, "nasnet DARTS mixture, java vs cpu");
    }

    /** The same for the nasnet supernet: logits of a random-alpha mixture, then alpha's gradient. */
    private static float[] nasnetLogits(Backend be) {
        try (be; Scope s = Scope.open(); NasNetSupernet net = new NasNetSupernet(2, 2, 1, 3, 8, 8, 4, be, 1)) {
            float[] a = new float[net.alphaRows() * net.alphaCols()];
            for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.3f - 1f;
            Tensor alpha = Tensor.of(be, a, net.alphaRows(), net.alphaCols()).requireGrad();
            Tensor logits = net.mix(EdgeMix.all(alpha.logSoftmax().exp())).forward(Tensor.of(be, images(3, 3, 8), 3, 3, 8, 8));
            logits.square().sum().backward();
            float[] out = Arrays.copyOf(logits.toArray(), logits.toArray().length + a.length);
            System.arraycopy(alpha.gradToArray(), 0, out, logits.toArray().length, a.length);
            return out;
        }
    }

    /** Logits of a DARTS mixture (random alphas) and gradients flowing: the forward after one SGD-free backward. */
    private static float[] mixedLogits(Backend be) {
        try (be; Scope s = Scope.open(); Nb201Supernet net = new Nb201Supernet(2, 1, 3, 8, 8, 4, be, 1)) {
            float[] a = new float[Nb201.EDGES * EdgeMix.OPS];
            for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.3f - 1f;
            Tensor alpha = Tensor.of(be, a, Nb201.EDGES, EdgeMix.OPS).requireGrad();
            Tensor logits = net.mix(EdgeMix.all(alpha.logSoftmax().exp())).forward(Tensor.of(be, images(3, 3, 8), 3, 3, 8, 8));
            logits.square().sum().backward();
            float[] out = Arrays.copyOf(logits.toArray(), logits.toArray().length + a.length);
            System.arraycopy(alpha.gradToArray(), 0, out, logits.toArray().length, a.length);
            return out;
        }
    }

    private static void close(float[] expected, float[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-5 + rtol * Math.abs(expected[i])))
                fail(what + ": first mismatch at " + i + ": " + expected[i] + " vs " + actual[i]);
    }
}
