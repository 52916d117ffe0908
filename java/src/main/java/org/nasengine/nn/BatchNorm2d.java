package org.nasengine.nn;

import org.nasengine.autograd.BatchNorm;
import org.nasengine.backend.Backend;
import org.nasengine.tensor.Tensor;

/**
 * Batch normalization with a learned scale (init 1) and shift (init 0) per channel, over
 * (N, C, H, W) maps or (N, C) features alike. Training normalizes with the batch statistics and
 * updates the running ones; evaluation uses the running ones (run it under Tape.noGrad()).
 * Saved as {@code weight} (gamma), {@code bias} (beta), {@code running_mean}, {@code running_var}.
 */
public final class BatchNorm2d extends Module {
    public static final float DEFAULT_EPS = 1e-5f, DEFAULT_MOMENTUM = 0.1f;

    private final float eps, momentum;
    private final Tensor gamma, beta;               // (C)
    private final Tensor runningMean, runningVar;   // (C)

    public BatchNorm2d(Backend backend, int channels, float eps, float momentum) {
        this(backend, channels, eps, momentum, true);
    }

    /**
     * @param affine false: scale 1 and shift 0 held fixed (state, not parameters), as the cells of a
     *               weight-sharing supernet normalise (DARTS, NAS-Bench-201's search cells), so that an
     *               operation's weight in a mixture is not undone by a learned scale
     */
    public BatchNorm2d(Backend backend, int channels, float eps, float momentum, boolean affine) {
        Conv2d.requirePositive("channels", channels);
        if (!(eps > 0)) throw new IllegalArgumentException("eps (" + eps + ") must be > 0");
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum (" + momentum + ") must be in [0, 1]");
        this.eps = eps;
        this.momentum = momentum;
        gamma = affine ? registerParameter("weight", Tensor.parameter(backend, Init.constant(1f, channels), channels))
                : registerState("weight", Tensor.persistent(backend, Init.constant(1f, channels), channels));
        beta = affine ? registerParameter("bias", Tensor.parameter(backend, new float[channels], channels))
                : registerState("bias", Tensor.persistent(backend, new float[channels], channels));
        runningMean = registerState("running_mean", Tensor.persistent(backend, new float[channels], channels));
        runningVar = registerState("running_var", Tensor.persistent(backend, Init.constant(1f, channels), channels));
    }

    public BatchNorm2d(Backend backend, int channels) {
        this(backend, channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public Tensor forward(Tensor x) {
        return BatchNorm.batchNorm(x, gamma, beta, runningMean, runningVar, eps, momentum, isTraining());
    }

    public float eps() { return eps; }
    public Tensor gamma() { return gamma; }
    public Tensor beta() { return beta; }
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }
}
