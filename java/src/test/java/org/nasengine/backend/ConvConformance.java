package org.nasengine.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The convolution family of the conformance suite: conv2d, pooling, batch norm and the pad-join,
 * forward and backward, over odd geometries (1x1, 7x1, stride 3 on sizes not divisible by 3,
 * dilation 2, one channel, batch 1, grouped and depthwise). Backward outputs start from random
 * values so that "adds into" is checked, forward outputs from NaN so that unwritten elements show.
 */
public abstract class ConvConformance extends ConformanceHarness {

    /** n, cin, h, w, cout, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups. */
    static final List<ConvGeometry> CONVS = List.of(
            new ConvGeometry(2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),       // plain 3x3 same
            new ConvGeometry(1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1),       // 1x1, single channel, batch 1
            new ConvGeometry(3, 4, 6, 5, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2),       // pointwise, 2 groups
            new ConvGeometry(2, 2, 11, 10, 3, 7, 1, 3, 3, 3, 0, 1, 1, 1),     // 7x1, stride 3 on 11x10
            new ConvGeometry(2, 3, 9, 9, 5, 3, 3, 1, 1, 2, 2, 2, 2, 1),       // dilation 2
            new ConvGeometry(3, 6, 8, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6),       // depthwise, stride 2
            new ConvGeometry(2, 4, 9, 9, 4, 5, 5, 1, 1, 4, 4, 2, 2, 4),       // depthwise, dilated
            new ConvGeometry(2, 4, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4),       // channel multiplier 2
            new ConvGeometry(1, 5, 13, 13, 7, 3, 5, 2, 3, 1, 2, 1, 1, 1),     // batch 1, unequal strides
            new ConvGeometry(2, 3, 5, 5, 2, 3, 3, 2, 2, 0, 0, 1, 1, 1),       // no padding, stride 2
            new ConvGeometry(2, 1, 4, 4, 3, 1, 1, 3, 3, 0, 0, 1, 1, 1),       // 1x1 stride 3 (not pointwise)
            ConvGeometry.same(4, 16, 12, 12, 24, 3, 3, 1, 1, 1));            // enough work to go parallel

    @Test
    void conv2dForward() {
        for (ConvGeometry g : CONVS) {
            Twin x = random(g.inputLength()), w = random(g.weightLength()), y = poisoned(g.outputLength());
            ref.conv2d(g, r(x), r(w), r(y));
            cand.conv2d(g, c(x), c(w), c(y));
            assertClose("conv2d y", g.toString(), y, g.outputLength(), SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void conv2dBackwardAddsIntoBothGradients() {
        for (ConvGeometry g : CONVS) {
            Twin x = random(g.inputLength()), w = random(g.weightLength()), dy = random(g.outputLength());
            Twin dx = random(g.inputLength()), dw = random(g.weightLength());
            ref.conv2dBackward(g, r(x), r(w), r(dy), r(dx), r(dw));
            cand.conv2dBackward(g, c(x), c(w), c(dy), c(dx), c(dw));
            assertClose("conv2dBackward dx", g.toString(), dx, g.inputLength(), SUM_ATOL, SUM_RTOL);
            assertClose("conv2dBackward dw", g.toString(), dw, g.weightLength(), SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void conv2dBackwardWithOneGradientWanted() {
        for (ConvGeometry g : List.of(CONVS.get(0), CONVS.get(2), CONVS.get(5))) {
            Twin x = random(g.inputLength()), w = random(g.weightLength()), dy = random(g.outputLength());
            Twin dx = random(g.inputLength()), dw = random(g.weightLength());
            // dx only: x is not needed; dw only: w is not needed
            ref.conv2dBackward(g, null, r(w), r(dy), r(dx), null);
            cand.conv2dBackward(g, null, c(w), c(dy), c(dx), null);
            ref.conv2dBackward(g, r(x), null, r(dy), null, r(dw));
            cand.conv2dBackward(g, c(x), null, c(dy), null, c(dw));
            assertClose("conv2dBackward dx only", g.toString(), dx, g.inputLength(), SUM_ATOL, SUM_RTOL);
            assertClose("conv2dBackward dw only", g.toString(), dw, g.weightLength(), SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void conv2dRejectsShortBuffers() {
        ConvGeometry g = CONVS.get(0);
        // half the length: pooled capacities round up by at most 25%, so this is short whatever the pool
        Twin x = random(g.inputLength() / 2), w = random(g.weightLength()), y = poisoned(g.outputLength());
        assertThrows(IllegalArgumentException.class, () -> cand.conv2d(g, c(x), c(w), c(y)));
    }

    static final List<PoolGeometry> POOLS = List.of(
            PoolGeometry.same(PoolGeometry.Kind.MAX, 2, 3, 7, 7, 3, 1),
            PoolGeometry.same(PoolGeometry.Kind.AVG, 2, 3, 7, 7, 3, 1),
            PoolGeometry.same(PoolGeometry.Kind.AVG, 1, 2, 1, 5, 3, 1),      // 3x3 stride 1 (the native box-sum path) on one row
            PoolGeometry.same(PoolGeometry.Kind.AVG, 2, 1, 6, 1, 3, 1),      // ... and on one column
            PoolGeometry.same(PoolGeometry.Kind.AVG, 4, 16, 16, 16, 3, 1),   // ... over enough work for every thread
            PoolGeometry.same(PoolGeometry.Kind.MAX, 2, 2, 10, 11, 3, 3),    // stride 3 on sizes not divisible by 3
            PoolGeometry.same(PoolGeometry.Kind.AVG, 2, 2, 10, 11, 5, 3),
            PoolGeometry.same(PoolGeometry.Kind.MAX, 1, 1, 9, 9, 7, 2),      // 7x7, one channel, batch 1
            new PoolGeometry(PoolGeometry.Kind.AVG, 2, 3, 6, 5, 2, 2, 2, 0, 0),
            new PoolGeometry(PoolGeometry.Kind.MAX, 2, 3, 5, 5, 2, 3, 1, 1, 0),
            new PoolGeometry(PoolGeometry.Kind.AVG, 1, 2, 4, 4, 3, 3, 1, 3, 3),   // windows wholly in the padding
            new PoolGeometry(PoolGeometry.Kind.MAX, 1, 2, 4, 4, 3, 3, 1, 3, 3),
            PoolGeometry.global(3, 5, 7, 6),
            PoolGeometry.same(PoolGeometry.Kind.MAX, 8, 16, 16, 16, 3, 2));

    @Test
    void pool2dForwardAndBackward() {
        for (PoolGeometry g : POOLS) {
            Twin x = random(g.inputLength()), y = poisoned(g.outputLength());
            ref.pool2d(g, r(x), r(y));
            cand.pool2d(g, c(x), c(y));
            assertClose("pool2d y", g.toString(), y, g.outputLength(), EW_ATOL, EW_RTOL);
            Twin dy = random(g.outputLength()), dx = random(g.inputLength());
            ref.pool2dBackward(g, r(x), r(y), r(dy), r(dx));
            cand.pool2dBackward(g, c(x), c(y), c(dy), c(dx));
            assertClose("pool2dBackward dx", g.toString(), dx, g.inputLength(), EW_ATOL, EW_RTOL);
        }
    }

    @Test
    void batchNormTrainingThenEvaluationThenBackward() {
        for (int[] s : new int[][] {{4, 3, 25}, {1, 2, 7}, {16, 8, 64}, {5, 1, 1}}) {
            BatchNormSpec train = new BatchNormSpec(s[0], s[1], s[2], 1e-5f, 0.1f, true);
            BatchNormSpec eval = new BatchNormSpec(s[0], s[1], s[2], 1e-5f, 0.1f, false);
            String shape = train.toString();
            int c = s[1];
            Twin x = random(train.length(), -2f, 3f), gamma = random(c, 0.5f, 1.5f), beta = random(c);
            Twin runMean = random(c), runVar = random(c, 0.5f, 2f), mean = poisoned(c), invStd = poisoned(c);
            Twin y = poisoned(train.length());
            ref.batchNorm(train, r(x), r(gamma), r(beta), r(runMean), r(runVar), r(mean), r(invStd), r(y));
            cand.batchNorm(train, c(x), c(gamma), c(beta), c(runMean), c(runVar), c(mean), c(invStd), c(y));
            assertClose("batchNorm y", shape, y, train.length(), SUM_ATOL, SUM_RTOL);
            assertClose("batchNorm savedMean", shape, mean, c, SUM_ATOL, SUM_RTOL);
            assertClose("batchNorm savedInvStd", shape, invStd, c, SUM_ATOL, SUM_RTOL);
            assertClose("batchNorm runningMean", shape, runMean, c, SUM_ATOL, SUM_RTOL);
            assertClose("batchNorm runningVar", shape, runVar, c, SUM_ATOL, SUM_RTOL);

            Twin dy = random(train.length()), dx = random(train.length()), dGamma = random(c), dBeta = random(c);
            ref.batchNormBackward(train, r(x), r(gamma), r(mean), r(invStd), r(dy), r(dx), r(dGamma), r(dBeta));
            cand.batchNormBackward(train, c(x), c(gamma), c(mean), c(invStd), c(dy), c(dx), c(dGamma), c(dBeta));
            assertClose("batchNormBackward dx", shape, dx, train.length(), SUM_ATOL, SUM_RTOL);
            assertClose("batchNormBackward dGamma", shape, dGamma, c, SUM_ATOL, SUM_RTOL);
            assertClose("batchNormBackward dBeta", shape, dBeta, c, SUM_ATOL, SUM_RTOL);

            // evaluation: running statistics, saved buffers not needed
            Twin yEval = poisoned(eval.length());
            ref.batchNorm(eval, r(x), r(gamma), r(beta), r(runMean), r(runVar), null, null, r(yEval));
            cand.batchNorm(eval, c(x), c(gamma), c(beta), c(runMean), c(runVar), null, null, c(yEval));
            assertClose("batchNorm (eval) y", eval.toString(), yEval, eval.length(), SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void batchNormBackwardWithOnlyParameterGradients() {
        BatchNormSpec s = new BatchNormSpec(3, 4, 10, 1e-3f, 0.2f, true);
        Twin x = random(s.length()), gamma = random(4), beta = random(4), rm = random(4), rv = random(4, 0.5f, 1f);
        Twin mean = poisoned(4), invStd = poisoned(4), y = poisoned(s.length());
        ref.batchNorm(s, r(x), r(gamma), r(beta), r(rm), r(rv), r(mean), r(invStd), r(y));
        cand.batchNorm(s, c(x), c(gamma), c(beta), c(rm), c(rv), c(mean), c(invStd), c(y));
        Twin dy = random(s.length()), dGamma = random(4);
        ref.batchNormBackward(s, r(x), r(gamma), r(mean), r(invStd), r(dy), null, r(dGamma), null);
        cand.batchNormBackward(s, c(x), c(gamma), c(mean), c(invStd), c(dy), null, c(dGamma), null);
        assertClose("batchNormBackward dGamma only", s.toString(), dGamma, 4, SUM_ATOL, SUM_RTOL);
    }

    @Test
    void padConcatWithOddPaddingAndPlainConcat() {
        JoinGeometry[] joins = {
                JoinGeometry.of(2, new int[] {3, 2, 1}, new int[] {7, 4, 7}, new int[] {7, 5, 2}),   // odd splits
                JoinGeometry.of(3, new int[] {2, 4}, new int[] {5, 5}, new int[] {6, 6}),            // plain concat
                JoinGeometry.of(1, new int[] {1}, new int[] {3}, new int[] {3}),                     // one input
                JoinGeometry.of(4, new int[] {36, 64}, new int[] {28, 14}, new int[] {28, 14}),      // ref-cnn-a layer 5
        };
        for (JoinGeometry j : joins) {
            String shape = "n=" + j.n() + " c=" + java.util.Arrays.toString(j.channels()) + " h="
                    + java.util.Arrays.toString(j.heights()) + " w=" + java.util.Arrays.toString(j.widths());
            Twin[] in = new Twin[j.inputs()];
            Buffer[] inR = new Buffer[in.length], inC = new Buffer[in.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = random(j.inputLength(k));
                inR[k] = r(in[k]);
                inC[k] = c(in[k]);
            }
            Twin out = poisoned(j.outputLength());
            ref.padConcat(j, inR, r(out));
            cand.padConcat(j, inC, c(out));
            assertClose("padConcat out", shape, out, j.outputLength(), 0, 0);

            Twin dOut = random(j.outputLength());
            Twin[] dIn = new Twin[in.length];
            Buffer[] dR = new Buffer[in.length], dC = new Buffer[in.length];
            for (int k = 0; k < in.length; k++) {
                // the last input's gradient is unwanted when there are several
                dIn[k] = k == in.length - 1 && k > 0 ? null : random(j.inputLength(k));
                dR[k] = r(dIn[k]);
                dC[k] = c(dIn[k]);
            }
            ref.padConcatBackward(j, r(dOut), dR);
            cand.padConcatBackward(j, c(dOut), dC);
            for (int k = 0; k < in.length; k++)
                if (dIn[k] != null)
                    assertClose("padConcatBackward dInputs[" + k + "]", shape, dIn[k], j.inputLength(k), EW_ATOL, EW_RTOL);
        }
    }

    @Test
    void padConcatBackwardAddsTwiceIntoAGradientJoinedTwice() {
        // the same tensor on both sides of a join ({g, g}), and once more around a padded input
        // ({g, h, g}): both contributions must land, whatever the backend launches in parallel
        JoinGeometry[] joins = {
                JoinGeometry.of(2, new int[] {3, 3}, new int[] {6, 6}, new int[] {5, 5}),
                JoinGeometry.of(3, new int[] {2, 4, 2}, new int[] {7, 4, 7}, new int[] {6, 3, 6}),
        };
        for (JoinGeometry j : joins) {
            String shape = "n=" + j.n() + " c=" + java.util.Arrays.toString(j.channels()) + " h="
                    + java.util.Arrays.toString(j.heights()) + " w=" + java.util.Arrays.toString(j.widths());
            int last = j.inputs() - 1;
            Twin dOut = random(j.outputLength()), g = random(j.inputLength(0));
            Twin h = j.inputs() == 3 ? random(j.inputLength(1)) : null;
            Twin[] dIn = j.inputs() == 3 ? new Twin[] {g, h, g} : new Twin[] {g, g};
            Buffer[] dR = new Buffer[dIn.length], dC = new Buffer[dIn.length];
            for (int k = 0; k < dIn.length; k++) {
                dR[k] = r(dIn[k]);
                dC[k] = c(dIn[k]);
            }
            float[] expected = new float[Math.toIntExact(g.length())], dOutValues = new float[Math.toIntExact(j.outputLength())];
            ref.read(g.r(), 0, expected);
            ref.read(dOut.r(), 0, dOutValues);
            for (int k : new int[] {0, last}) addWindow(j, k, dOutValues, expected);

            ref.padConcatBackward(j, r(dOut), dR);
            cand.padConcatBackward(j, c(dOut), dC);
            float[] refG = new float[expected.length];
            ref.read(g.r(), 0, refG);
            assertClose("reference padConcatBackward into {g, .., g}", shape, expected, refG, EW_ATOL, EW_RTOL);
            assertClose("padConcatBackward into {g, .., g}", shape, g, g.length(), EW_ATOL, EW_RTOL);
        }
    }

    /** dIn += input k's window of dOut, written out once more as the spec states it. */
    private static void addWindow(JoinGeometry j, int k, float[] dOut, float[] dIn) {
        int c = j.channels()[k], h = j.heights()[k], w = j.widths()[k];
        for (int b = 0; b < j.n(); b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        dIn[((b * c + ch) * h + y) * w + x] += dOut[((b * j.outChannels() + j.channelOffset(k) + ch)
                                * j.outH() + j.top(k) + y) * j.outW() + j.left(k) + x];
    }
}
