package org.nasengine.nn;

import java.util.random.RandomGenerator;
import org.nasengine.autograd.Arithmetic;
import org.nasengine.autograd.Conv;
import org.nasengine.backend.Backend;
import org.nasengine.tensor.Tensor;

/** A 2-D convolution with the spec's "same" padding, optional bias; He-uniform weights. */
public final class Conv2d extends Module {
    private final int stride, dilation, groups;
    private final Tensor weight; // (Cout, Cin/groups, KH, KW)
    private final Tensor bias;   // (Cout, 1, 1), broadcast over (N, Cout, H, W); null without bias

    public Conv2d(Backend backend, RandomGenerator rng, int cin, int cout, int kh, int kw,
                  int stride, int dilation, int groups, boolean withBias) {
        requirePositive("cin", cin);
        requirePositive("cout", cout);
        requirePositive("kh", kh);
        requirePositive("kw", kw);
        requirePositive("stride", stride);
        requirePositive("dilation", dilation);
        requirePositive("groups", groups);
        if (cin % groups != 0 || cout % groups != 0)
            throw new IllegalArgumentException("groups (" + groups + ") must divide cin (" + cin + ") and cout (" + cout + ")");
        this.stride = stride;
        this.dilation = dilation;
        this.groups = groups;
        int fanIn = (cin / groups) * kh * kw;
        weight = registerParameter("weight", Tensor.parameter(backend, Init.heUniform(rng, fanIn, cout * fanIn), cout, cin / groups, kh, kw));
        bias = withBias ? registerParameter("bias", Tensor.parameter(backend, new float[cout], cout, 1, 1)) : null;
    }

    /** Dense, undilated, without bias: the layer of the spec's macro CNN. */
    public Conv2d(Backend backend, RandomGenerator rng, int cin, int cout, int kh, int kw, int stride) {
        this(backend, rng, cin, cout, kh, kw, stride, 1, 1, false);
    }

    /** x (N, Cin, H, W) -> (N, Cout, ceil(H/stride), ceil(W/stride)) for odd kernels. */
    public Tensor forward(Tensor x) {
        Tensor y = Conv.conv2dSame(x, weight, stride, dilation, groups);
        return bias == null ? y : Arithmetic.add(y, bias);
    }

    public Tensor weight() { return weight; }
    public Tensor bias() { return bias; }
    public int stride() { return stride; }
    public int dilation() { return dilation; }
    public int groups() { return groups; }

    static void requirePositive(String role, int value) {
        if (value <= 0) throw new IllegalArgumentException(role + " (" + value + ") must be > 0");
    }
}
