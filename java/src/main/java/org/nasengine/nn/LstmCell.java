package org.nasengine.nn;

import java.util.random.RandomGenerator;
import org.nasengine.autograd.Arithmetic;
import org.nasengine.autograd.LstmCell.State;
import org.nasengine.autograd.MatMul;
import org.nasengine.backend.Backend;
import org.nasengine.tensor.Tensor;

/**
 * One LSTM layer step: gates = x Wx^T + h Wh^T + b, laid out [i | f | g | o], then the fused
 * pointwise cell. Every weight and the bias drawn from U(-a, a).
 */
public final class LstmCell extends Module {
    private final int inputSize, hidden;
    private final Tensor wx; // (4H, in)
    private final Tensor wh; // (4H, H)
    private final Tensor b;  // (4H)

    public LstmCell(Backend backend, RandomGenerator rng, int inputSize, int hidden, float a) {
        Conv2d.requirePositive("inputSize", inputSize);
        Conv2d.requirePositive("hidden", hidden);
        this.inputSize = inputSize;
        this.hidden = hidden;
        wx = registerParameter("weight_ih", Tensor.parameter(backend, Init.uniform(rng, a, 4 * hidden * inputSize), 4 * hidden, inputSize));
        wh = registerParameter("weight_hh", Tensor.parameter(backend, Init.uniform(rng, a, 4 * hidden * hidden), 4 * hidden, hidden));
        b = registerParameter("bias", Tensor.parameter(backend, Init.uniform(rng, a, 4 * hidden), 4 * hidden));
    }

    /** The usual default range, 1/sqrt(hidden). */
    public LstmCell(Backend backend, RandomGenerator rng, int inputSize, int hidden) {
        this(backend, rng, inputSize, hidden, (float) (1 / Math.sqrt(hidden)));
    }

    /** x (N, in) and the previous state (c, h each (N, H)) -> the next state. */
    public State forward(Tensor x, State prev) {
        Tensor gates = Arithmetic.add(MatMul.linear(x, wx, b), MatMul.linear(prev.h(), wh, null)); // (N, 4H)
        return org.nasengine.autograd.LstmCell.step(gates, prev.c());
    }

    /** Zero c and h for a batch of n (scope-owned when a scope is open). */
    public State zeroState(int n) {
        Backend be = wx.backend();
        return new State(Tensor.zeros(be, n, hidden), Tensor.zeros(be, n, hidden));
    }

    public int inputSize() { return inputSize; }
    public int hidden() { return hidden; }
    public Tensor wx() { return wx; }
    public Tensor wh() { return wh; }
    public Tensor bias() { return b; }
}
