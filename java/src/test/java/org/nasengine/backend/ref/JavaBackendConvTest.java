package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;
import static org.nasengine.backend.ref.RefFixture.iota;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.PoolGeometry;

/** Hand-computed convolution and pooling cases. The 4x4 input is 1..16 row-major throughout. */
class JavaBackendConvTest {
    private final JavaBackend be = new JavaBackend();

    private static ConvGeometry conv(int cin, int h, int w, int cout, int k, int stride, int pad, int dil, int groups) {
        return new ConvGeometry(1, cin, h, w, cout, k, k, stride, stride, pad, pad, dil, dil, groups);
    }

    @Test
    void conv3x3On4x4Valid() {
        // top-left window (1,2,3,5,6,7,9,10,11) . (1..9) = 348; one column right adds sum(w) = 45, one row down adds 4*45
        Buffer y = be.allocate(4);
        be.conv2d(conv(1, 4, 4, 1, 3, 1, 0, 1, 1), buf(be, iota(16)), buf(be, iota(9)), y);
        assertClose("conv 3x3 valid (1,1,2,2)", new double[] {348, 393, 528, 573}, get(be, y, 4));
    }

    @Test
    void conv3x3Stride2Pad1SkipsPaddedPositions() {
        // all-ones kernel: each output is the sum of its window's in-image pixels
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        Buffer y = be.allocate(4);
        be.conv2d(conv(1, 4, 4, 1, 3, 2, 1, 1, 1), buf(be, iota(16)), buf(be, ones), y);
        assertClose("conv stride 2 pad 1 (1,1,2,2)", new double[] {1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8,
                5 + 6 + 9 + 10 + 13 + 14, 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16}, get(be, y, 4));
    }

    @Test
    void conv2x2Dilation2() {
        // taps at (0,0), (0,2), (2,0), (2,2) of each window, kernel 1,2,3,4
        Buffer y = be.allocate(4);
        be.conv2d(conv(1, 4, 4, 1, 2, 1, 0, 2, 1), buf(be, iota(16)), buf(be, 1, 2, 3, 4), y);
        assertClose("conv dilation 2 (1,1,2,2)", new double[] {1 + 2 * 3 + 3 * 9 + 4 * 11, 2 + 2 * 4 + 3 * 10 + 4 * 12,
                5 + 2 * 7 + 3 * 13 + 4 * 15, 6 + 2 * 8 + 3 * 14 + 4 * 16}, get(be, y, 4));
    }

    @Test
    void depthwiseConvKeepsChannelsApart() {
        // channel 0 = 1..4 with kernel diag(1, 1); channel 1 = 5..8 with the anti-diagonal
        Buffer y = be.allocate(2);
        be.conv2d(conv(2, 2, 2, 2, 2, 1, 0, 1, 2), buf(be, 1, 2, 3, 4, 5, 6, 7, 8), buf(be, 1, 0, 0, 1, 0, 1, 1, 0), y);
        assertClose("depthwise (1,2,1,1)", new double[] {1 + 4, 6 + 7}, get(be, y, 2));
    }

    @Test
    void multiChannelBatchLayout() {
        // 1x1 conv, cin 2 -> cout 2, n 2: y[b,o] = w[o,0]*x[b,0] + w[o,1]*x[b,1] per pixel
        ConvGeometry g = new ConvGeometry(2, 2, 1, 2, 2, 1, 1, 1, 1, 0, 0, 1, 1, 1);
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};   // (2, 2, 1, 2)
        Buffer y = be.allocate(8);
        be.conv2d(g, buf(be, x), buf(be, 1, 10, -1, 0), y);
        assertClose("1x1 conv (2,2,1,2)", new double[] {31, 42, -1, -2, 75, 86, -5, -6}, get(be, y, 8));
    }

    @Test
    void convBackwardOfOneOutputAccumulatesXAndW() {
        // one output: dw = dy * x, dx = dy * w, added to what is there
        ConvGeometry g = conv(1, 2, 2, 1, 2, 1, 0, 1, 1);
        Buffer dx = buf(be, 1, 1, 1, 1), dw = buf(be, 10, 10, 10, 10);
        be.conv2dBackward(g, buf(be, 1, 2, 3, 4), buf(be, 5, 6, 7, 8), buf(be, 2), dx, dw);
        assertClose("dx", new double[] {11, 13, 15, 17}, get(be, dx, 4));
        assertClose("dw", new double[] {12, 14, 16, 18}, get(be, dw, 4));
        Buffer dwOnly = be.allocate(4);
        be.conv2dBackward(g, buf(be, 1, 2, 3, 4), null, buf(be, 1), null, dwOnly);
        assertClose("dw with dx unwanted", new double[] {1, 2, 3, 4}, get(be, dwOnly, 4));
    }

    @Test
    void convRejectsShortWeights() {
        ConvGeometry g = conv(2, 4, 4, 4, 3, 1, 1, 1, 1);   // weights 4*2*9 = 72
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.conv2d(g, be.allocate(32), be.allocate(64), be.allocate(64)));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("w") && e.getMessage().contains("72"),
                e.getMessage());
    }

    // 3x3 input -1..-9, window 3, stride 2, pad 1: each window covers a 2x2 corner block of the image
    private final double[] negatives = {-1, -2, -3, -4, -5, -6, -7, -8, -9};

    @Test
    void maxPoolIgnoresPadding() {
        Buffer y = be.allocate(4);
        be.pool2d(new PoolGeometry(PoolGeometry.Kind.MAX, 1, 1, 3, 3, 3, 3, 2, 1, 1), buf(be, negatives), y);
        // zero padding taking part would give 0 everywhere
        assertClose("max pool (1,1,2,2)", new double[] {-1, -2, -4, -5}, get(be, y, 4));
    }

    @Test
    void avgPoolDividesByInImageCount() {
        PoolGeometry g = new PoolGeometry(PoolGeometry.Kind.AVG, 1, 1, 3, 3, 3, 3, 2, 1, 1);
        Buffer y = be.allocate(4);
        be.pool2d(g, buf(be, negatives), y);
        assertClose("avg pool (1,1,2,2)", new double[] {(-1 - 2 - 4 - 5) / 4.0, (-2 - 3 - 5 - 6) / 4.0,
                (-4 - 5 - 7 - 8) / 4.0, (-5 - 6 - 8 - 9) / 4.0}, get(be, y, 4));
        Buffer dx = be.allocate(9);
        be.pool2dBackward(g, buf(be, negatives), y, buf(be, 1, 1, 1, 1), dx);
        // a pixel gets 1/4 from each window that covers it: corners 1, edges 2, centre 4 windows
        assertClose("avg pool dx (1,1,3,3)", new double[] {0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25}, get(be, dx, 9));
    }

    @Test
    void maxPoolBackwardGoesToFirstMaxAndAccumulates() {
        // 2x2 windows over a 2x4 image: left window all tied, right window max at its last position
        PoolGeometry g = new PoolGeometry(PoolGeometry.Kind.MAX, 1, 1, 2, 4, 2, 2, 2, 0, 0);
        Buffer x = buf(be, 3, 3, 0, 1, 3, 3, 2, 5), y = be.allocate(2);
        be.pool2d(g, x, y);
        assertClose("max pool", new double[] {3, 5}, get(be, y, 2));
        Buffer dx = buf(be, 1, 1, 1, 1, 1, 1, 1, 1);
        be.pool2dBackward(g, x, y, buf(be, 10, 20), dx);
        assertClose("max pool dx (1,1,2,4)", new double[] {11, 1, 1, 1, 1, 1, 1, 21}, get(be, dx, 8));
    }

    @Test
    void windowWhollyInPaddingYieldsZeroAndNoGradient() {
        // 1x1 image, 1x1 window, pad 1: a 3x3 output whose border windows see only padding
        for (PoolGeometry.Kind kind : PoolGeometry.Kind.values()) {
            PoolGeometry g = new PoolGeometry(kind, 1, 1, 1, 1, 1, 1, 1, 1, 1);
            Buffer x = buf(be, -5), y = buf(be, iota(9));
            be.pool2d(g, x, y);
            assertClose(kind + " pool (1,1,3,3)", new double[] {0, 0, 0, 0, -5, 0, 0, 0, 0}, get(be, y, 9));
            Buffer dx = be.allocate(1);
            be.pool2dBackward(g, x, y, buf(be, iota(9)), dx);
            assertClose(kind + " pool dx", new double[] {5}, get(be, dx, 1));
        }
    }

    @Test
    void globalAveragePoolPerChannel() {
        Buffer y = be.allocate(4);
        be.pool2d(PoolGeometry.global(2, 2, 2, 2), buf(be, iota(16)), y);
        assertClose("global avg (2,2,1,1)", new double[] {2.5, 6.5, 10.5, 14.5}, get(be, y, 4));
    }
}
