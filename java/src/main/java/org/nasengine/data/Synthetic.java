package org.nasengine.data;

import java.util.SplittableRandom;

/**
 * Small generated image data that a tiny network learns in a few steps, for fast tests. Class k
 * has its own brightness per channel (levels spread evenly over the classes, shuffled per
 * channel by the seed) and its own stripe orientation and frequency; each image adds a random
 * stripe phase and Gaussian noise. Brightness alone separates the classes after global average
 * pooling, the stripes give convolutions something local to find.
 *
 * @param channels image channels
 * @param size     image height and width
 * @param classes  number of classes
 * @param seed     fixes the classes' patterns; the images of a split come from {@link #generate}'s stream
 */
public record Synthetic(int channels, int size, int classes, long seed) {
    public static final String NAME = "synthetic";
    private static final double LEVEL_SPREAD = 120; // brightness levels span 128 +- 60
    private static final double STRIPE_AMPLITUDE = 30;
    private static final double NOISE = 24;

    public Synthetic {
        if (channels <= 0 || size <= 0 || classes <= 0)
            throw new IllegalArgumentException("channels (" + channels + "), size (" + size + ") and classes ("
                    + classes + ") must be > 0");
    }

    /** {@code count} images from the random stream {@code stream}: different streams, different images. */
    public RawImages generate(int count, long stream) {
        double[][] level = levels();
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1)));
        int plane = size * size;
        byte[] pixels = new byte[count * channels * plane]; // (count, channels, size, size)
        int[] labels = new int[count];                       // (count)
        for (int n = 0; n < count; n++) {
            int k = rng.nextInt(classes);
            labels[n] = k;
            double angle = Math.PI * k / classes;
            double cycles = 1 + k % 3; // stripes across the image
            double fx = 2 * Math.PI * cycles / size * Math.cos(angle), fy = 2 * Math.PI * cycles / size * Math.sin(angle);
            double phase = rng.nextDouble(2 * Math.PI);
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * plane;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = 128 + level[k][c] + STRIPE_AMPLITUDE * Math.sin(fx * x + fy * y + phase)
                                + NOISE * rng.nextGaussian();
                        pixels[base + y * size + x] = (byte) Math.clamp(Math.round(v), 0, 255);
                    }
                }
            }
        }
        return new RawImages(pixels, labels, channels, size, size, classes);
    }

    /** Train from stream 0, test from stream 1, validation held out of train. */
    public ImageDataset dataset(int trainCount, int testCount, HoldOut holdOut) {
        return ImageDataset.of(NAME, generate(trainCount, 0), generate(testCount, 1), holdOut);
    }

    /** The brightness offset of each class and channel: evenly spaced, permuted per channel. */
    double[][] levels() {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] level = new double[classes][channels];
        for (int c = 0; c < channels; c++) {
            int[] perm = Shuffle.permutation(classes, rng);
            for (int k = 0; k < classes; k++)
                level[k][c] = classes == 1 ? 0 : LEVEL_SPREAD * (perm[k] / (double) (classes - 1) - 0.5);
        }
        return level;
    }
}
