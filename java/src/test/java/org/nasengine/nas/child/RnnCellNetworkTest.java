package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;
import org.nasengine.autograd.Join;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nas.space.RnnCell.Activation;
import org.nasengine.nas.space.RnnCell.Combine;
import org.nasengine.nn.Init;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * One step of the tree cell against values worked out by hand from the spec's formulas, with the
 * inject and memory nodes at different places; a sequence run against step-by-step runs.
 */
class RnnCellNetworkTest {
    static final int N = 4, IN = 3, H = 3;
    static final double ATOL = 1e-5, RTOL = 1e-4;

    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    static RnnCell refRnnA() throws IOException {
        return (RnnCell) ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-rnn-a.json"));
    }

    /**
     * A cell that trains easily (the reference cell's elem_mult leaf is dead while h is near zero):
     * tanh leaves adding their terms, the root their identity sum and the memory, inject on leaf 0.
     */
    static RnnCell additive() {
        return new RnnCell(2, List.of(new RnnCell.Node(Combine.ADD, Activation.TANH), new RnnCell.Node(Combine.ADD, Activation.TANH),
                new RnnCell.Node(Combine.ADD, Activation.IDENTITY)), new RnnCell.Node(Combine.ADD, Activation.TANH), 0, 2);
    }

    /**
     * A gated cell: h = sigmoid(gate leaf) * tanh(candidate leaf + c_{t-1}), c_t = h_t (the root's
     * value before its identity activation); zero-mean and bounded like an LSTM's output.
     */
    static RnnCell gated() {
        return new RnnCell(2, List.of(new RnnCell.Node(Combine.ADD, Activation.SIGMOID), new RnnCell.Node(Combine.ADD, Activation.TANH),
                new RnnCell.Node(Combine.ELEM_MULT, Activation.IDENTITY)), new RnnCell.Node(Combine.ADD, Activation.TANH), 1, 2);
    }

    /** A root that multiplies two tanh leaves: at a U(-0.1, 0.1) init a product of two numbers near 0.05. */
    static RnnCell products() {
        return new RnnCell(2, List.of(new RnnCell.Node(Combine.ADD, Activation.TANH), new RnnCell.Node(Combine.ADD, Activation.TANH),
                new RnnCell.Node(Combine.ELEM_MULT, Activation.TANH)), new RnnCell.Node(Combine.ADD, Activation.TANH), 0, 2);
    }

    /** Random weights, input, h and c; runs one step; returns {h_t, c_t} with the inputs in {@code values}. */
    private float[][] step(RnnCell cell, double[][] values) {
        try (RnnCellNetwork layer = new RnnCellNetwork(cell, IN, H, be, Init.rng(1), 0.5f); Scope s = Scope.open()) {
            float[] w = Init.uniform(Init.rng(11), 1f, 2 * H * IN), b = Init.uniform(Init.rng(12), 1f, 2 * H);
            float[] u = Init.uniform(Init.rng(13), 1f, 2 * H * H), x = Init.uniform(Init.rng(14), 1f, N * IN);
            float[] h = Init.uniform(Init.rng(15), 1f, N * H), c = Init.uniform(Init.rng(16), 1f, N * H);
            layer.w().set(w);
            layer.b().set(b);
            layer.u().set(u);
            float[][] in = {w, b, u, x, h, c};
            for (int i = 0; i < in.length; i++) {
                values[i] = new double[in[i].length];
                for (int j = 0; j < in[i].length; j++) values[i][j] = in[i][j];
            }
            State next = layer.forward(Tensor.of(be, x, N, IN), new State(Tensor.of(be, h, N, H), Tensor.of(be, c, N, H)));
            assertArrayEquals(new int[] {N, H}, next.h().shape());
            assertArrayEquals(new int[] {N, H}, next.c().shape());
            return new float[][] {next.h().toArray(), next.c().toArray()};
        }
    }

    /** Leaf i's W_i x + b_i (r = 0) or U_i h (r = 1) for example n, unit j: weights of leaf i are rows i*H + j. */
    private static double leafTerm(double[][] v, int leaf, int n, int j, boolean recurrent) {
        double sum = 0;
        if (recurrent) {
            for (int k = 0; k < H; k++) sum += v[2][(leaf * H + j) * H + k] * v[4][n * H + k];
        } else {
            for (int k = 0; k < IN; k++) sum += v[0][(leaf * H + j) * IN + k] * v[3][n * IN + k];
            sum += v[1][leaf * H + j];
        }
        return sum;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void refRnnAStepMatchesHandComputation() throws IOException {
        // leaves: 0 = tanh(Wx + b + Uh), 1 = relu((Wx + b) * Uh); root 2 = sigmoid(node0 * node1);
        // inject (add, relu) on node 0: node0 <- relu(node0 + c_{t-1}); memory node 1: c_t = (Wx + b) * Uh
        double[][] v = new double[6][];
        float[][] got = step(refRnnA(), v);
        double[] wantH = new double[N * H], wantC = new double[N * H];
        for (int n = 0; n < N; n++)
            for (int j = 0; j < H; j++) {
                double node0 = Math.tanh(leafTerm(v, 0, n, j, false) + leafTerm(v, 0, n, j, true));
                node0 = Math.max(0, node0 + v[5][n * H + j]);
                double pre1 = leafTerm(v, 1, n, j, false) * leafTerm(v, 1, n, j, true);
                double node1 = Math.max(0, pre1);
                wantH[n * H + j] = sigmoid(node0 * node1);
                wantC[n * H + j] = pre1;
            }
        assertClose("h_t", wantH, got[0]);
        assertClose("c_t", wantC, got[1]);
    }

    @Test
    void injectAndMemoryOnTheRootUseTheValueBeforeItsActivation() throws IOException {
        RnnCell ref = refRnnA();
        // inject (elem_mult, tanh) replaces the root's output; c_t is the root before its sigmoid
        RnnCell cell = new RnnCell(ref.base(), ref.nodes(), new RnnCell.Node(Combine.ELEM_MULT, Activation.TANH), 2, 2);
        double[][] v = new double[6][];
        float[][] got = step(cell, v);
        double[] wantH = new double[N * H], wantC = new double[N * H];
        for (int n = 0; n < N; n++)
            for (int j = 0; j < H; j++) {
                double node0 = Math.tanh(leafTerm(v, 0, n, j, false) + leafTerm(v, 0, n, j, true));
                double node1 = Math.max(0, leafTerm(v, 1, n, j, false) * leafTerm(v, 1, n, j, true));
                double preRoot = node0 * node1;
                wantH[n * H + j] = Math.tanh(sigmoid(preRoot) * v[5][n * H + j]);
                wantC[n * H + j] = preRoot;
            }
        assertClose("h_t", wantH, got[0]);
        assertClose("c_t", wantC, got[1]);
    }

    @Test
    void sequenceRunEqualsStepByStep() throws IOException {
        int steps = 4;
        try (RnnCellNetwork layer = new RnnCellNetwork(refRnnA(), IN, H, be, Init.rng(3), 0.8f); Scope s = Scope.open()) {
            float[] x = Init.uniform(Init.rng(4), 1f, N * steps * IN); // rows in (n, t) order
            State start = new State(Tensor.of(be, Init.uniform(Init.rng(5), 1f, N * H), N, H),
                    Tensor.of(be, Init.uniform(Init.rng(6), 1f, N * H), N, H));
            RnnCellNetwork.Sequence seq = layer.forward(Tensor.of(be, x, N * steps, IN), steps, start);
            assertArrayEquals(new int[] {N * steps, H}, seq.outputs().shape());

            Tensor all = Tensor.of(be, x, N, steps * IN);
            State state = start;
            List<Tensor> hs = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                state = layer.forward(Join.columns(all, t * IN, (t + 1) * IN), state);
                hs.add(state.h());
            }
            float[] stepwise = Join.concatFeatures(hs).toArray(); // (N, T*H) = (N*T, H)
            assertClose("outputs", toDouble(stepwise), seq.outputs().toArray());
            assertClose("last h", toDouble(state.h().toArray()), seq.last().h().toArray());
            assertClose("last c", toDouble(state.c().toArray()), seq.last().c().toArray());
        }
    }

    @Test
    void parameterCountIsThreeMatricesPerLeaf() throws IOException {
        try (RnnCellNetwork layer = new RnnCellNetwork(refRnnA(), 5, 7, be, Init.rng(3), 0.1f)) {
            assertEquals(2 * 7 * 5 + 2 * 7 + 2 * 7 * 7, layer.parameterCount());
            assertEquals(layer.parameterCount(), RnnCellNetwork.parameterCount(2, 5, 7));
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    static void assertClose(String what, double[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        StringBuilder bad = new StringBuilder();
        int count = 0;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) {
                if (count++ < 5) bad.append(String.format(" [%d] got %.7g want %.7g;", i, got[i], want[i]));
            }
        }
        if (count > 0) fail(what + " (" + want.length + " values, rows of " + H + "): " + count + " mismatches:" + bad);
    }
}
