package org.nasengine.backend;

import java.util.Arrays;

/**
 * An elementwise iteration over {@code shape} (rank 4; lower ranks are padded with leading 1s).
 * Operand a is read at sum(i[d]*aStrides[d]), operand b at sum(i[d]*bStrides[d]); a stride of 0
 * broadcasts that dimension. The output is contiguous over {@code shape}.
 * For {@link Backend#sumInto}: src is contiguous over shape and dst[sum(i[d]*aStrides[d])] += src[i].
 */
public record Broadcast(int[] shape, int[] aStrides, int[] bStrides) {
    public static final int RANK = 4;

    public Broadcast {
        if (shape.length != RANK || aStrides.length != RANK || bStrides.length != RANK)
            throw new IllegalArgumentException("broadcast rank must be " + RANK + ": " + Arrays.toString(shape));
    }

    public long size() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Broadcast of two shapes, numpy rules; returns the padded out shape and strides. */
    public static Broadcast of(int[] a, int[] b) {
        int[] pa = pad(a), pb = pad(b), out = new int[RANK];
        for (int d = 0; d < RANK; d++) {
            if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1)
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + d + ")");
            out[d] = Math.max(pa[d], pb[d]);
        }
        return new Broadcast(out, stridesFor(pa, out), stridesFor(pb, out));
    }

    /** Same shape, plain contiguous strides for both operands. */
    public static Broadcast same(int[] shape) {
        int[] p = pad(shape);
        return new Broadcast(p, stridesFor(p, p), stridesFor(p, p));
    }

    static int[] pad(int[] s) {
        if (s.length > RANK) throw new IllegalArgumentException("rank above " + RANK + ": " + Arrays.toString(s));
        int[] p = new int[RANK];
        Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, RANK - s.length, s.length);
        return p;
    }

    /** Contiguous strides of an operand of shape {@code own}, zero where it is broadcast to {@code out}. */
    static int[] stridesFor(int[] own, int[] out) {
        int[] st = new int[RANK];
        int stride = 1;
        for (int d = RANK - 1; d >= 0; d--) {
            st[d] = (own[d] == 1 && out[d] != 1) ? 0 : stride;
            stride *= own[d];
        }
        return st;
    }

    /** Elements operand a must hold (for {@link Backend#sumInto}, dst): one past its largest offset over the shape. */
    public long aExtent() {
        return extent(aStrides);
    }

    /** Elements operand b must hold: one past its largest offset over the shape. */
    public long bExtent() {
        return extent(bStrides);
    }

    private long extent(int[] strides) {
        long last = 0;
        for (int d = 0; d < RANK; d++) {
            if (shape[d] <= 0) throw new IllegalArgumentException("broadcast shape dimensions must be > 0: dimension "
                    + d + " is " + shape[d]);
            if (strides[d] < 0) throw new IllegalArgumentException("broadcast strides must be >= 0: dimension "
                    + d + " is " + strides[d]);
            last += (long) (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }
}
