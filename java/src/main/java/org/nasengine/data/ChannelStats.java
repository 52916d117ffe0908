package org.nasengine.data;

/**
 * Per-channel mean and standard deviation of pixel/255 over a training split; normalising with
 * them maps each channel to mean 0 and deviation 1. Validation and test images use the training
 * split's statistics, never their own.
 */
public record ChannelStats(float[] mean, float[] std) {

    public ChannelStats {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("mean (" + mean.length + ") and std (" + std.length + ") need one entry per channel");
    }

    /** Population statistics of each channel, accumulated in double. */
    public static ChannelStats of(RawImages images) {
        int c = images.channels(), plane = images.height() * images.width();
        double[] sum = new double[c], sumSq = new double[c];
        byte[] px = images.pixels();
        for (int n = 0; n < images.count(); n++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (n * c + ch) * plane;
                long s = 0, s2 = 0; // exact integer sums within one plane
                for (int i = 0; i < plane; i++) {
                    int v = px[base + i] & 0xff;
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        float[] mean = new float[c], std = new float[c];
        double count = (double) images.count() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = count == 0 ? 0 : sum[ch] / count;
            double var = count == 0 ? 0 : Math.max(0, sumSq[ch] / count - m * m);
            mean[ch] = (float) (m / 255.0);
            // a constant channel (or no images) has no spread to divide by: keep its scale
            std[ch] = var > 0 ? (float) (Math.sqrt(var) / 255.0) : 1f;
        }
        return new ChannelStats(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    /** (pixel/255 - mean[c]) / std[c] for every pixel: (N, C, H, W) bytes to floats. */
    public float[] normalise(RawImages images) {
        if (images.channels() != channels())
            throw new IllegalArgumentException("images have " + images.channels() + " channels, statistics " + channels());
        int c = channels(), plane = images.height() * images.width();
        float[][] table = new float[c][256]; // one lookup per channel: bytes have only 256 values
        for (int ch = 0; ch < c; ch++) {
            for (int v = 0; v < 256; v++) table[ch][v] = (float) ((v / 255.0 - mean[ch]) / std[ch]);
        }
        byte[] px = images.pixels();
        float[] out = new float[px.length]; // (N, C, H, W)
        for (int i = 0; i < px.length; i++) out[i] = table[(i / plane) % c][px[i] & 0xff];
        return out;
    }
}
