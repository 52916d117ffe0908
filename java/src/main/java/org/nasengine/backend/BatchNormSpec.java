package org.nasengine.backend;

/**
 * Batch normalization over (n, c, spatial): statistics per channel over n*spatial values.
 * Training: y = gamma*(x-mean)*invStd + beta with batch mean and biased variance; savedMean and
 * savedInvStd (length c) receive them; running = (1-momentum)*running + momentum*batch, the
 * running variance updated with the unbiased variance. Evaluation: running statistics, saved
 * buffers untouched. Backward is defined for training mode only.
 */
public record BatchNormSpec(int n, int c, int spatial, float eps, float momentum, boolean training) {
    public BatchNormSpec {
        if (n <= 0 || c <= 0 || spatial <= 0)
            throw new IllegalArgumentException("batch norm sizes must be > 0: n=" + n + " c=" + c + " spatial=" + spatial);
        if (training && (long) n * spatial < 2)
            throw new IllegalArgumentException("batch norm in training needs more than one value per channel");
    }

    public long length() { return (long) n * c * spatial; }
}
