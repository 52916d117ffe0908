package org.nasengine.backend;

import java.util.Arrays;

/**
 * The zero-pad join of the spec: inputs (n, c_i, h_i, w_i) are each zero-padded to (outH, outW),
 * the missing rows split evenly with the odd one at the bottom (top = (outH-h_i)/2), likewise
 * columns (left = (outW-w_i)/2, odd one at the right), then concatenated along channels in order:
 * out (n, sum c_i, outH, outW). Backward slices each input's window out of dOut (+=).
 * A plain channel concat is the case where every input already has (outH, outW).
 */
public record JoinGeometry(int n, int[] channels, int[] heights, int[] widths, int outH, int outW) {

    public JoinGeometry {
        int k = channels.length;
        if (k == 0 || heights.length != k || widths.length != k)
            throw new IllegalArgumentException("join needs one channel, height and width per input");
        for (int i = 0; i < k; i++) {
            if (channels[i] <= 0 || heights[i] <= 0 || widths[i] <= 0 || heights[i] > outH || widths[i] > outW)
                throw new IllegalArgumentException("join input " + i + " (c=" + channels[i] + ", " + heights[i] + "x"
                        + widths[i] + ") does not fit the output " + outH + "x" + outW);
        }
    }

    /** The join of inputs with these (c, h, w): output size is the largest height and width. */
    public static JoinGeometry of(int n, int[] channels, int[] heights, int[] widths) {
        return new JoinGeometry(n, channels, heights, widths,
                Arrays.stream(heights).max().orElseThrow(), Arrays.stream(widths).max().orElseThrow());
    }

    public int inputs() { return channels.length; }
    public int outChannels() { return Arrays.stream(channels).sum(); }
    public int top(int i) { return (outH - heights[i]) / 2; }
    public int left(int i) { return (outW - widths[i]) / 2; }
    /** First output channel of input i. */
    public int channelOffset(int i) {
        int off = 0;
        for (int j = 0; j < i; j++) off += channels[j];
        return off;
    }
    public long inputLength(int i) { return (long) n * channels[i] * heights[i] * widths[i]; }
    public long outputLength() { return (long) n * outChannels() * outH * outW; }
}
