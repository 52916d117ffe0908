package org.nasengine.backend.ref;

import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.JoinGeometry;

/** Reference batch normalization (training and evaluation) and the zero-pad channel join. */
final class NormJoinOps {
    private NormJoinOps() {}

    /** Statistics per channel over the n*spatial values of that channel, two passes (mean, then variance). */
    static void batchNorm(BatchNormSpec s, Buffer xBuf, Buffer gammaBuf, Buffer betaBuf, Buffer runMeanBuf,
                          Buffer runVarBuf, Buffer savedMeanBuf, Buffer savedInvStdBuf, Buffer yBuf) {
        String op = "batchNorm";
        double[] x = Args.need(op, "x", xBuf, s.length());           // (n, c, spatial)
        double[] gamma = Args.need(op, "gamma", gammaBuf, s.c());    // (c)
        double[] beta = Args.need(op, "beta", betaBuf, s.c());       // (c)
        double[] runMean = Args.need(op, "runningMean", runMeanBuf, s.c());
        double[] runVar = Args.need(op, "runningVar", runVarBuf, s.c());
        // evaluation leaves the saved statistics untouched, so it may go without them
        double[] savedMean = s.training() ? Args.need(op, "savedMean", savedMeanBuf, s.c())
                : Args.optional(op, "savedMean", savedMeanBuf, s.c());
        double[] savedInvStd = s.training() ? Args.need(op, "savedInvStd", savedInvStdBuf, s.c())
                : Args.optional(op, "savedInvStd", savedInvStdBuf, s.c());
        double[] y = Args.need(op, "y", yBuf, s.length());           // (n, c, spatial)
        long count = (long) s.n() * s.spatial();
        for (int c = 0; c < s.c(); c++) {
            double mean, invStd;
            if (s.training()) {
                double sum = 0;
                for (int b = 0; b < s.n(); b++)
                    for (int i = 0; i < s.spatial(); i++) sum += x[index(s, b, c, i)];
                mean = sum / count;
                double sq = 0;
                for (int b = 0; b < s.n(); b++)
                    for (int i = 0; i < s.spatial(); i++) {
                        double d = x[index(s, b, c, i)] - mean;
                        sq += d * d;
                    }
                double biasedVar = sq / count;
                invStd = 1 / Math.sqrt(biasedVar + s.eps());
                savedMean[c] = mean;
                savedInvStd[c] = invStd;
                double unbiasedVar = sq / (count - 1);
                double momentum = s.momentum();   // widened first, so 1 - momentum is a double
                runMean[c] = (1 - momentum) * runMean[c] + momentum * mean;
                runVar[c] = (1 - momentum) * runVar[c] + momentum * unbiasedVar;
            } else {
                mean = runMean[c];
                invStd = 1 / Math.sqrt(runVar[c] + s.eps());
            }
            for (int b = 0; b < s.n(); b++)
                for (int i = 0; i < s.spatial(); i++) {
                    int at = index(s, b, c, i);
                    y[at] = gamma[c] * (x[at] - mean) * invStd + beta[c];
                }
        }
    }

    /**
     * Training-mode backward with xhat = (x - mean) * invStd and m = n*spatial:
     * dBeta += sum dy; dGamma += sum dy*xhat; dx += gamma*invStd/m * (m*dy - sum dy - xhat * sum dy*xhat).
     */
    static void batchNormBackward(BatchNormSpec s, Buffer xBuf, Buffer gammaBuf, Buffer savedMeanBuf,
                                  Buffer savedInvStdBuf, Buffer dyBuf, Buffer dxBuf, Buffer dGammaBuf, Buffer dBetaBuf) {
        String op = "batchNormBackward";
        if (!s.training())
            throw new IllegalArgumentException(op + ": defined for training mode only (the spec has training=false)");
        double[] x = Args.need(op, "x", xBuf, s.length());                  // (n, c, spatial)
        double[] gamma = Args.need(op, "gamma", gammaBuf, s.c());           // (c)
        double[] savedMean = Args.need(op, "savedMean", savedMeanBuf, s.c());
        double[] savedInvStd = Args.need(op, "savedInvStd", savedInvStdBuf, s.c());
        double[] dy = Args.need(op, "dy", dyBuf, s.length());               // (n, c, spatial)
        double[] dx = Args.optional(op, "dx", dxBuf, s.length());           // (n, c, spatial)
        double[] dGamma = Args.optional(op, "dGamma", dGammaBuf, s.c());    // (c)
        double[] dBeta = Args.optional(op, "dBeta", dBetaBuf, s.c());       // (c)
        double m = (double) s.n() * s.spatial();
        for (int c = 0; c < s.c(); c++) {
            double mean = savedMean[c], invStd = savedInvStd[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < s.n(); b++)
                for (int i = 0; i < s.spatial(); i++) {
                    int at = index(s, b, c, i);
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * (x[at] - mean) * invStd;
                }
            if (dBeta != null) dBeta[c] += sumDy;
            if (dGamma != null) dGamma[c] += sumDyXhat;
            if (dx == null) continue;
            double k = gamma[c] * invStd / m;
            for (int b = 0; b < s.n(); b++)
                for (int i = 0; i < s.spatial(); i++) {
                    int at = index(s, b, c, i);
                    double xhat = (x[at] - mean) * invStd;
                    dx[at] += k * (m * dy[at] - sumDy - xhat * sumDyXhat);
                }
        }
    }

    private static int index(BatchNormSpec s, int b, int c, int i) {
        return (b * s.c() + c) * s.spatial() + i;
    }

    /** out = zeros, then each input copied into its window: channels after the earlier inputs', rows from top(i), columns from left(i). */
    static void padConcat(JoinGeometry j, Buffer[] inputs, Buffer outBuf) {
        checkCount("padConcat", j, inputs);
        double[] out = Args.need("padConcat", "out", outBuf, j.outputLength());   // (n, sum c_i, outH, outW)
        java.util.Arrays.fill(out, 0, (int) j.outputLength(), 0.0);
        int outC = j.outChannels();
        for (int k = 0; k < j.inputs(); k++) {
            double[] in = Args.need("padConcat", "inputs[" + k + "]", inputs[k], j.inputLength(k));   // (n, c_k, h_k, w_k)
            int c = j.channels()[k], h = j.heights()[k], w = j.widths()[k];
            int c0 = j.channelOffset(k), top = j.top(k), left = j.left(k);
            for (int b = 0; b < j.n(); b++)
                for (int ch = 0; ch < c; ch++)
                    for (int r = 0; r < h; r++)
                        for (int col = 0; col < w; col++)
                            out[((b * outC + c0 + ch) * j.outH() + top + r) * j.outW() + left + col] =
                                    in[((b * c + ch) * h + r) * w + col];
        }
    }

    /** dInputs[k] += the window of dOut that input k was copied into; a null dInputs[k] is skipped. */
    static void padConcatBackward(JoinGeometry j, Buffer dOutBuf, Buffer[] dInputs) {
        checkCount("padConcatBackward", j, dInputs);
        double[] dOut = Args.need("padConcatBackward", "dOut", dOutBuf, j.outputLength());   // (n, sum c_i, outH, outW)
        int outC = j.outChannels();
        for (int k = 0; k < j.inputs(); k++) {
            double[] dIn = Args.optional("padConcatBackward", "dInputs[" + k + "]", dInputs[k], j.inputLength(k));
            if (dIn == null) continue;
            int c = j.channels()[k], h = j.heights()[k], w = j.widths()[k];
            int c0 = j.channelOffset(k), top = j.top(k), left = j.left(k);
            for (int b = 0; b < j.n(); b++)
                for (int ch = 0; ch < c; ch++)
                    for (int r = 0; r < h; r++)
                        for (int col = 0; col < w; col++)
                            dIn[((b * c + ch) * h + r) * w + col] +=
                                    dOut[((b * outC + c0 + ch) * j.outH() + top + r) * j.outW() + left + col];
        }
    }

    private static void checkCount(String op, JoinGeometry j, Buffer[] buffers) {
        if (j.n() <= 0) throw new IllegalArgumentException(op + ": batch n (" + j.n() + ") must be > 0");
        if (buffers == null || buffers.length != j.inputs())
            throw new IllegalArgumentException(op + ": " + (buffers == null ? "null" : buffers.length)
                    + " buffers for a join of " + j.inputs() + " inputs");
    }
}
