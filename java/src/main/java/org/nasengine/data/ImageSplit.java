package org.nasengine.data;

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
}
