package org.nasengine.data;

import org.nasengine.tensor.Rng;

/**
 * One split of an image dataset, normalised and ready to batch.
 *
 * @param images (count, channels, height, width), normalised per channel
 * @param labels (count), each in 0..classes-1
 */
public record ImageSplit(float[] images, int[] labels, int channels, int height, int width, int classes) {

    public ImageSplit {
        long expected = (long) labels.length * channels * height * width;
        if (images.length != expected)
            throw new IllegalArgumentException("images (" + images.length + ") must be labels (" + labels.length
                    + ") x " + channels + "x" + height + "x" + width + " = " + expected);
    }

    /** Normalises raw images with the given (training) statistics. */
    public static ImageSplit of(RawImages raw, ChannelStats stats) {
        return new ImageSplit(stats.normalise(raw), raw.labels().clone(), raw.channels(), raw.height(), raw.width(),
                raw.classes());
    }

    public int count() {
        return labels.length;
    }

    /** channels * height * width. */
    public int imageLength() {
        return channels * height * width;
    }

    /** A random subset of n images of the split (all of it when n is 0 or too large). */
    public ImageSplit sample(int n, long seed) {
        ImageSplit split = this;
        if (n <= 0 || n >= split.count()) return split;
        int[] order = new int[split.count()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) { // partial Fisher-Yates: the first n are a uniform sample
            int j = i + rng.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int len = split.imageLength();
        float[] images = new float[n * len];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(split.images(), order[i] * len, images, i * len, len);
            labels[i] = split.labels()[order[i]];
        }
        return new ImageSplit(images, labels, split.channels(), split.height(), split.width(), split.classes());
    }
}
