package org.nasengine.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Minibatches of one split, one epoch at a time: {@code while (b.hasNext()) { Batch x = b.next(); }}
 * then {@link #nextEpoch()}. Shuffled by a seeded generator (a new order each epoch) or in file
 * order. Every call returns the same {@link Batch} whose arrays are refilled: nothing is allocated
 * per batch, and a caller that keeps a batch must copy it. The last batch of an epoch may be
 * short ({@link Batch#size()}) unless {@link #dropLast()} is set; array entries past the size are
 * stale.
 */
public final class Batches implements Iterator<Batches.Batch> {
    private final ImageSplit split;
    private final int batchSize;
    private final SplittableRandom rng; // null: file order
    private final int[] order;          // (count) image indices of the current epoch
    private final Batch batch;
    private Augmentation augmentation;
    private boolean dropLast;
    private int position;

    /** The images and labels of one minibatch; the same object, refilled, on every call. */
    public static final class Batch {
        private final float[] images; // (batchSize, C, H, W)
        private final int[] labels;   // (batchSize)
        private final int channels, height, width;
        private int size;

        private Batch(int batchSize, int channels, int height, int width) {
            this.images = new float[batchSize * channels * height * width];
            this.labels = new int[batchSize];
            this.channels = channels;
            this.height = height;
            this.width = width;
        }

        /** (capacity, C, H, W); the first {@link #size()} images are this batch. */
        public float[] images() {
            return images;
        }

        /** (capacity); the first {@link #size()} labels are this batch. */
        public int[] labels() {
            return labels;
        }

        public int size() {
            return size;
        }

        public int channels() {
            return channels;
        }

        public int height() {
            return height;
        }

        public int width() {
            return width;
        }
    }

    /** Shuffled batches, the order drawn from {@code seed}. */
    public Batches(ImageSplit split, int batchSize, long seed) {
        this(split, batchSize, new SplittableRandom(seed));
    }

    /** Batches in the split's order (evaluation). */
    public static Batches inOrder(ImageSplit split, int batchSize) {
        return new Batches(split, batchSize, null);
    }

    private Batches(ImageSplit split, int batchSize, SplittableRandom rng) {
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize (" + batchSize + ") must be > 0");
        this.split = split;
        this.batchSize = batchSize;
        this.rng = rng;
        this.order = new int[split.count()];
        this.batch = new Batch(batchSize, split.channels(), split.height(), split.width());
        nextEpoch();
    }

    /** Applies {@code augmentation} to every batch after it is filled (training only). */
    public Batches augment(Augmentation augmentation) {
        this.augmentation = augmentation;
        return this;
    }

    /** Skips the short last batch of each epoch. */
    public Batches dropLast() {
        this.dropLast = true;
        return this;
    }

    /** Starts another epoch, reshuffled when shuffling. */
    public void nextEpoch() {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (rng != null) Shuffle.shuffle(order, rng);
        position = 0;
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        int left = order.length - position;
        return dropLast ? left >= batchSize : left > 0;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("epoch finished: call nextEpoch()");
        int size = Math.min(batchSize, order.length - position);
        int len = split.imageLength();
        float[] images = split.images();
        int[] labels = split.labels();
        for (int i = 0; i < size; i++) {
            int src = order[position + i];
            System.arraycopy(images, src * len, batch.images, i * len, len);
            batch.labels[i] = labels[src];
        }
        batch.size = size;
        position += size;
        if (augmentation != null) augmentation.apply(batch.images, size, split.channels(), split.height(), split.width());
        return batch;
    }
}
