package org.nasengine.data;

import java.util.SplittableRandom;

/**
 * The usual CIFAR augmentation: zero-pad each image by {@code pad} on every side, cut a random
 * window of the original size, flip it left-right with probability 1/2. The padding is zero
 * in normalised units, i.e. the channel mean (as ENAS pads its normalised images). Seeded: the
 * same seed and batches give the same crops. Not thread-safe (one scratch image).
 */
public final class CropFlip implements Augmentation {
    private final int pad;
    private final SplittableRandom rng;
    private float[] scratch = new float[0]; // (channels, height, width) of one image

    public CropFlip(int pad, long seed) {
        if (pad < 0) throw new IllegalArgumentException("pad (" + pad + ") must be >= 0");
        this.pad = pad;
        this.rng = new SplittableRandom(seed);
    }

    /** Pad 4, as for CIFAR-10. */
    public static CropFlip cifar(long seed) {
        return new CropFlip(4, seed);
    }

    @Override
    public void apply(float[] images, int count, int channels, int height, int width) {
        int len = channels * height * width;
        if ((long) count * len > images.length)
            throw new IllegalArgumentException("images (" + images.length + ") hold fewer than " + count + " x "
                    + channels + "x" + height + "x" + width);
        for (int n = 0; n < count; n++) {
            int dy = rng.nextInt(2 * pad + 1) - pad; // window offset in the original image
            int dx = rng.nextInt(2 * pad + 1) - pad;
            boolean flip = rng.nextBoolean();
            transform(images, n * len, channels, height, width, dy, dx, flip);
        }
    }

    /** out[c, y, x] = in[c, y + dy, (flip ? W-1-x : x) + dx], zero outside the image. */
    void transform(float[] images, int offset, int channels, int height, int width, int dy, int dx, boolean flip) {
        int len = channels * height * width;
        if (scratch.length < len) scratch = new float[len];
        System.arraycopy(images, offset, scratch, 0, len);
        for (int c = 0; c < channels; c++) {
            int plane = offset + c * height * width;
            int src = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    images[plane + y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width
                            ? scratch[src + sy * width + sx] : 0f;
                }
            }
        }
    }
}
