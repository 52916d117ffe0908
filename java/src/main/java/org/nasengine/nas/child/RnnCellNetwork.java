package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Activations;
import org.nasengine.autograd.Arithmetic;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.MatMul;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nn.Init;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * One recurrent layer built from an {@code rnn-cell} tree (spec section 3). Leaf i computes
 * {@code act(combine(W_i x_t + b_i, U_i h_{t-1}))}; internal node {@code base + k} computes
 * {@code act(combine(node 2k, node 2k+1))}; the output of {@code injectNode} is replaced by
 * {@code inject.act(inject.combine(it, c_{t-1}))} before any node reads it; c_t is
 * {@code memoryNode}'s value before its activation; h_t is the root's output.
 *
 * <p>The leaves' weights sit side by side, W (base*H, in) and U (base*H, H), so that every leaf's
 * W_i x is one matmul (over a whole sequence at once, see {@link #forward(Tensor, int, State)})
 * and every U_i h one matmul per step; each leaf then reads its H columns.
 */
public final class RnnCellNetwork extends Module {
    /** The recurrent state of a batch: h and c, each (N, H). */
    public record State(Tensor h, Tensor c) {}

    /** A layer's run over T steps: outputs (N*T, H) with rows in (n, t) order, and the last state. */
    public record Sequence(Tensor outputs, State last) {}

    private final RnnCell cell;
    private final int inputSize, hidden, base;
    private final boolean anyAddLeaf, anyMultLeaf;
    private final Tensor w; // (base*H, in): leaf i owns rows [i*H, (i+1)*H)
    private final Tensor b; // (base*H)
    private final Tensor u; // (base*H, H)

    /** Weights and biases drawn from U(-initRange, initRange). */
    public RnnCellNetwork(RnnCell cell, int inputSize, int hidden, Backend backend, RandomGenerator rng, float initRange) {
        if (inputSize <= 0) throw new IllegalArgumentException("inputSize (" + inputSize + ") must be > 0");
        if (hidden <= 0) throw new IllegalArgumentException("hidden (" + hidden + ") must be > 0");
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.base = cell.base();
        int rows = base * hidden;
        w = registerParameter("weight_ih", Tensor.parameter(backend, Init.uniform(rng, initRange, rows * inputSize), rows, inputSize));
        b = registerParameter("bias", Tensor.parameter(backend, Init.uniform(rng, initRange, rows), rows));
        u = registerParameter("weight_hh", Tensor.parameter(backend, Init.uniform(rng, initRange, rows * hidden), rows, hidden));
        boolean add = false, mult = false;
        for (int i = 0; i < base; i++) {
            if (cell.nodes().get(i).combine() == RnnCell.Combine.ADD) add = true;
            else mult = true;
        }
        anyAddLeaf = add;
        anyMultLeaf = mult;
    }

    /** W_i x + b_i for every leaf, side by side: x (R, in) -> (R, base*H). */
    public Tensor project(Tensor x) {
        return MatMul.linear(x, w, b);
    }

    /** One step from an input x (N, in). */
    public State forward(Tensor x, State prev) {
        return step(project(x), prev);
    }

    /**
     * A run over T steps. x (N*T, in) holds the inputs with rows in (n, t) order; the input
     * projection runs as one matmul for every step.
     */
    public Sequence forward(Tensor x, int steps, State initial) {
        if (steps <= 0 || x.rank() != 2 || x.dim(0) % steps != 0)
            throw new IllegalArgumentException("rnn layer: x " + x + " must be (N*T, " + inputSize + ") for T = " + steps);
        int n = x.dim(0) / steps, width = base * hidden;
        // (N, T*base*H): step t is columns [t*width, (t+1)*width), cut in one op
        List<Tensor> perStep = Join.splitColumns(project(x).reshape(n, steps * width), steps);
        List<Tensor> outputs = new ArrayList<>(steps);
        State state = initial;
        for (int t = 0; t < steps; t++) {
            state = step(perStep.get(t), state); // wx (N, base*H)
            outputs.add(state.h());
        }
        Tensor hs = Join.concatFeatures(outputs).reshape(n * steps, hidden); // (N, T*H) -> (N*T, H)
        return new Sequence(hs, state);
    }

    /** One step from the projected input wx (N, base*H) and the previous state. */
    public State step(Tensor wx, State prev) {
        int n = prev.h().dim(0);
        if (wx.rank() != 2 || wx.dim(0) != n || wx.dim(1) != base * hidden)
            throw new IllegalArgumentException("rnn cell step: wx " + wx + " must be (" + n + ", " + base * hidden + ")");
        Tensor uh = MatMul.linear(prev.h(), u, null); // (N, base*H)
        // each leaf's combine is elementwise, so it runs once over every leaf's columns
        Tensor sums = anyAddLeaf ? wx.add(uh) : null;     // (N, base*H)
        Tensor products = anyMultLeaf ? wx.mul(uh) : null; // (N, base*H)
        Tensor[] out = new Tensor[cell.nodes().size()];    // each (N, H)
        Tensor c = null;
        for (int node = 0; node < out.length; node++) {
            RnnCell.Node spec = cell.nodes().get(node);
            Tensor pre;
            if (cell.isLeaf(node)) {
                Tensor combined = spec.combine() == RnnCell.Combine.ADD ? sums : products;
                pre = Join.columns(combined, node * hidden, (node + 1) * hidden);
            } else {
                pre = combine(spec.combine(), out[cell.leftChild(node)], out[cell.rightChild(node)]);
            }
            if (node == cell.memoryNode()) c = pre;
            Tensor value = activate(spec.activation(), pre);
            if (node == cell.injectNode())
                value = activate(cell.inject().activation(), combine(cell.inject().combine(), value, prev.c()));
            out[node] = value;
        }
        return new State(out[cell.root()], c);
    }

    static Tensor combine(RnnCell.Combine how, Tensor a, Tensor b) {
        return how == RnnCell.Combine.ADD ? Arithmetic.add(a, b) : Arithmetic.mul(a, b);
    }

    static Tensor activate(RnnCell.Activation act, Tensor x) {
        return switch (act) {
            case TANH -> Activations.tanh(x);
            case RELU -> Activations.relu(x);
            case SIGMOID -> Activations.sigmoid(x);
            case IDENTITY -> x;
        };
    }

    /** Zero h and c for a batch of n (scope-owned when a scope is open). */
    public State zeroState(int n) {
        return new State(Tensor.zeros(w.backend(), n, hidden), Tensor.zeros(w.backend(), n, hidden));
    }

    /** Parameters of one layer: W, b and U of every leaf. */
    public static long parameterCount(int base, int inputSize, int hidden) {
        return (long) base * hidden * inputSize + (long) base * hidden + (long) base * hidden * hidden;
    }

    public RnnCell cell() { return cell; }
    public int inputSize() { return inputSize; }
    public int hidden() { return hidden; }
    public Tensor w() { return w; }
    public Tensor b() { return b; }
    public Tensor u() { return u; }
}
