package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Batch normalization over (N, C, H, W) or (N, C): per-channel statistics over N*H*W values.
 * The running statistics are tensors the caller owns (a module's state); training mode updates
 * them in place, evaluation mode reads them.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /**
     * @param gamma (C) scale, beta (C) shift, runningMean and runningVar (C) caller-owned state
     * @param momentum weight of the batch statistic in the running update (0.1 in PyTorch's convention)
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float eps, float momentum, boolean training) {
        if (x.rank() != 4 && x.rank() != 2)
            throw new IllegalArgumentException("batchNorm: x must be (N, C, H, W) or (N, C), got " + Arrays.toString(x.shape()));
        int n = x.dim(0), c = x.dim(1);
        int spatial = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            if (t.size() != c)
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + Arrays.toString(t.shape())
                        + " must hold " + c + " values for x " + Arrays.toString(x.shape()));
        }
        BatchNormSpec spec = new BatchNormSpec(n, c, spatial, eps, momentum, training);
        Backend be = x.backend();
        boolean rec = Tape.recording(x, gamma, beta);
        if (rec && !training)
            throw new IllegalStateException("batchNorm: backward is defined for training mode only; run evaluation "
                    + "under Tape.noGrad() (x " + Arrays.toString(x.shape()) + ")");
        Tensor y = Tensor.output(be, rec, x.shape());
        // the batch statistics the backward reads; scope-owned so they recycle with the step
        Tensor savedMean = training ? Tensor.output(be, false, c) : null;    // (C)
        Tensor savedInvStd = training ? Tensor.output(be, false, c) : null;  // (C)
        be.batchNorm(spec, x.data(), gamma.data(), beta.data(), runningMean.data(), runningVar.data(),
                savedMean == null ? null : savedMean.data(), savedInvStd == null ? null : savedInvStd.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null)
                be.batchNormBackward(spec, x.data(), gamma.data(), savedMean.data(), savedInvStd.data(), dy,
                        Grads.of(x), Grads.of(gamma), Grads.of(beta));
        });
        return y;
    }
}
