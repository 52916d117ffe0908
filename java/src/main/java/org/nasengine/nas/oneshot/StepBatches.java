package org.nasengine.nas.oneshot;

import org.nasengine.backend.Backend;
import org.nasengine.data.CropFlip;
import org.nasengine.data.ImageSplit;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Tensor;

/**
 * Minibatches addressed by step number: step t is batch {@code t mod perEpoch} of epoch
 * {@code t / perEpoch}, whose order is a shuffle seeded by (seed, epoch); the short last batch is
 * dropped. A search that resumes at step t so sees exactly the batches (and crops) it would have
 * seen, with no generator state to save.
 */
public final class StepBatches {
    private final ImageSplit split;
    private final int batch;
    private final long seed;
    private final boolean augment;
    private final int[] order;          // (count) the current epoch's order
    private final float[] images;       // (batch, C, H, W)
    private final int[] labels;         // (batch)
    private long orderEpoch = -1;

    public StepBatches(ImageSplit split, int batch, long seed, boolean augment) {
        if (batch < 2) throw new IllegalArgumentException("batch (" + batch + ") must be >= 2 (batch norm needs two examples)");
        if (split.count() < batch)
            throw new IllegalArgumentException("split of " + split.count() + " images is smaller than one batch (" + batch + ")");
        this.split = split;
        this.batch = batch;
        this.seed = seed;
        this.augment = augment;
        this.order = new int[split.count()];
        this.images = new float[batch * split.imageLength()];
        this.labels = new int[batch];
    }

    public int perEpoch() {
        return split.count() / batch;
    }

    public int batch() {
        return batch;
    }

    /** One minibatch: images (N, C, H, W) and labels (N) as tensors of the current scope, and the labels on the host. */
    public record Batch(Tensor images, Tensor labels, int[] hostLabels) {}

    /** The batch of step {@code step}. */
    public Batch at(long step, Backend backend) {
        long epoch = step / perEpoch();
        int first = (int) (step % perEpoch()) * batch;
        if (epoch != orderEpoch) shuffle(epoch);
        int len = split.imageLength();
        for (int i = 0; i < batch; i++) {
            int src = order[first + i];
            System.arraycopy(split.images(), src * len, images, i * len, len);
            labels[i] = split.labels()[src];
        }
        if (augment) CropFlip.cifar(seed * 0x9E3779B97F4A7C15L + step).apply(images, batch, split.channels(), split.height(), split.width());
        return new Batch(Tensor.of(backend, images, batch, split.channels(), split.height(), split.width()),
                Tensor.ints(backend, labels, batch), labels.clone());
    }

    private void shuffle(long epoch) {
        Rng rng = new Rng(seed * 1_000_003L + epoch);
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        orderEpoch = epoch;
    }
}
