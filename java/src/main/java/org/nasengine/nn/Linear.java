package org.nasengine.nn;

import java.util.random.RandomGenerator;
import org.nasengine.autograd.MatMul;
import org.nasengine.backend.Backend;
import org.nasengine.tensor.Tensor;

/** Fully connected layer y = x W^T + b; He-uniform weights, zero bias. */
public final class Linear extends Module {
    private final Tensor weight; // (out, in)
    private final Tensor bias;   // (out), null without bias

    public Linear(Backend backend, RandomGenerator rng, int in, int out, boolean withBias) {
        Conv2d.requirePositive("in", in);
        Conv2d.requirePositive("out", out);
        weight = registerParameter("weight", Tensor.parameter(backend, Init.heUniform(rng, in, out * in), out, in));
        bias = withBias ? registerParameter("bias", Tensor.parameter(backend, new float[out], out)) : null;
    }

    /** Weights drawn from U(-a, a) instead (the LSTM controller's uniform init). */
    public Linear(Backend backend, RandomGenerator rng, int in, int out, boolean withBias, float a) {
        Conv2d.requirePositive("in", in);
        Conv2d.requirePositive("out", out);
        weight = registerParameter("weight", Tensor.parameter(backend, Init.uniform(rng, a, out * in), out, in));
        bias = withBias ? registerParameter("bias", Tensor.parameter(backend, Init.uniform(rng, a, out), out)) : null;
    }

    /** x (N, in) -> (N, out). */
    public Tensor forward(Tensor x) {
        return MatMul.linear(x, weight, bias);
    }

    public Tensor weight() { return weight; }
    public Tensor bias() { return bias; }
}
