package org.nasengine.nas.child;

import org.nasengine.tensor.Tensor;

/**
 * The identity on an input that already has F channels at stride 1: the input itself, no
 * parameters. Any other identity is a 1x1 convolution + BN (see {@link CellOps#create}).
 */
public final class IdentityOp extends CellOp {
    private final int channels;

    public IdentityOp(int channels) {
        if (channels <= 0) throw new IllegalArgumentException("channels (" + channels + ") must be > 0");
        this.channels = channels;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim(1) != channels)
            throw new IllegalArgumentException("identity: input " + x + " must have " + channels + " channels");
        return x;
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public double flops(int h, int w) {
        return 0;
    }

    @Override
    public String describe() {
        return "identity " + channels;
    }
}
