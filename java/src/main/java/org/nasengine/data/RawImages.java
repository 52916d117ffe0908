package org.nasengine.data;

/**
 * Images as read from disk, before normalisation: bytes 0..255 and their labels. Kept as bytes
 * (a quarter of the floats' size) until the training statistics are known.
 *
 * @param pixels (count, channels, height, width), unsigned bytes
 * @param labels (count), each in 0..classes-1
 */
public record RawImages(byte[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public RawImages {
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 0)
            throw new IllegalArgumentException("image shape (" + channels + ", " + height + ", " + width
                    + ") and classes (" + classes + ") must be > 0");
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected)
            throw new IllegalArgumentException("pixels (" + pixels.length + ") must be labels (" + labels.length
                    + ") x " + channels + "x" + height + "x" + width + " = " + expected);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes)
                throw new IllegalArgumentException("label " + i + " (" + labels[i] + ") must be in 0.." + (classes - 1));
        }
    }

    public int count() {
        return labels.length;
    }

    /** channels * height * width. */
    public int imageLength() {
        return channels * height * width;
    }

    /** The images at {@code indices}, in that order. */
    public RawImages select(int[] indices) {
        int len = imageLength();
        byte[] px = new byte[indices.length * len]; // (k, C, H, W)
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * len, px, i * len, len);
            lb[i] = labels[indices[i]];
        }
        return new RawImages(px, lb, channels, height, width, classes);
    }

    /** Images per class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) counts[label]++;
        return counts;
    }
}
