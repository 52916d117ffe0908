package org.nasengine.optim;

import java.util.List;
import org.nasengine.tensor.Tensor;

/** Gradient clipping by the global L2 norm over a set of parameters. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by maxNorm / norm when the global norm exceeds maxNorm, so the clipped
     * gradient keeps its direction. Returns the norm before clipping (for logging).
     */
    public static double clipByGlobalNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm (" + maxNorm + ") must be > 0");
        double norm = globalNorm(params);
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / norm);
            for (Tensor p : params)
                if (p.gradOrNull() != null) p.backend().scale(p.size(), factor, p.gradOrNull());
        }
        return norm;
    }

    /** sqrt of the sum of squares of every gradient; parameters without a gradient count as zero. */
    public static double globalNorm(List<Tensor> params) {
        double sum = 0;
        for (Tensor p : params)
            if (p.gradOrNull() != null) sum += p.backend().sumOfSquares(p.size(), p.gradOrNull());
        return Math.sqrt(sum);
    }
}
