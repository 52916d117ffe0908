package org.nasengine.backend.ref;

import org.nasengine.backend.Buffer;
import org.nasengine.backend.DropoutHash;
import org.nasengine.backend.OpChecks;

/** Reference row operations: log-softmax, softmax cross-entropy, embedding gather, dropout masks, LSTM cell. */
final class RowOps {
    private RowOps() {}

    /** y[r,j] = x[r,j] - logsumexp(x[r,:]), with the row max subtracted; x and y may be the same buffer. */
    static void logSoftmax(int rows, int cols, Buffer xBuf, Buffer yBuf) {
        checkRows("logSoftmax", rows, cols);
        double[] x = Args.need("logSoftmax", "x", xBuf, (long) rows * cols);   // (rows, cols)
        double[] y = Args.need("logSoftmax", "y", yBuf, (long) rows * cols);   // (rows, cols)
        for (int r = 0; r < rows; r++) {
            double max = rowMax(x, r * cols, cols), logSum = logSumShifted(x, r * cols, cols, max);
            // (x - max) - logSum, not x - (max + logSum): exact when x == max, whatever the magnitude
            for (int j = 0; j < cols; j++) y[r * cols + j] = (x[r * cols + j] - max) - logSum;
        }
    }

    /** dx[r,j] += dy[r,j] - exp(y[r,j]) * sum_k dy[r,k]. */
    static void logSoftmaxBackward(int rows, int cols, Buffer yBuf, Buffer dyBuf, Buffer dxBuf) {
        checkRows("logSoftmaxBackward", rows, cols);
        double[] y = Args.need("logSoftmaxBackward", "y", yBuf, (long) rows * cols);
        double[] dy = Args.need("logSoftmaxBackward", "dy", dyBuf, (long) rows * cols);
        double[] dx = Args.optional("logSoftmaxBackward", "dx", dxBuf, (long) rows * cols);
        if (dx == null) return;
        for (int r = 0; r < rows; r++) {
            double sumDy = 0;
            for (int j = 0; j < cols; j++) sumDy += dy[r * cols + j];
            for (int j = 0; j < cols; j++) dx[r * cols + j] += dy[r * cols + j] - Math.exp(y[r * cols + j]) * sumDy;
        }
    }

    /** probs[r,:] = softmax(logits[r,:]); loss[r] = logsumexp(logits[r,:]) - logits[r, labels[r]]. */
    static void softmaxCrossEntropy(int rows, int cols, Buffer logitsBuf, Buffer labelsBuf, Buffer probsBuf, Buffer lossBuf) {
        String op = "softmaxCrossEntropy";
        checkRows(op, rows, cols);
        double[] logits = Args.need(op, "logits", logitsBuf, (long) rows * cols);   // (rows, cols)
        double[] labels = Args.need(op, "labels", labelsBuf, rows);                  // (rows) int32
        double[] probs = Args.need(op, "probs", probsBuf, (long) rows * cols);      // (rows, cols)
        double[] loss = Args.need(op, "loss", lossBuf, rows);                        // (rows)
        for (int r = 0; r < rows; r++) {
            int label = Args.index(op, "labels", labels[r], r, cols);
            double max = rowMax(logits, r * cols, cols), logSum = logSumShifted(logits, r * cols, cols, max);
            double target = logits[r * cols + label];   // read before probs is written: they may alias
            for (int j = 0; j < cols; j++) probs[r * cols + j] = Math.exp((logits[r * cols + j] - max) - logSum);
            loss[r] = logSum - (target - max);
        }
    }

    /** dLogits[r,j] += (probs[r,j] - [j == labels[r]]) * dLoss[r]. */
    static void softmaxCrossEntropyBackward(int rows, int cols, Buffer probsBuf, Buffer labelsBuf, Buffer dLossBuf,
                                            Buffer dLogitsBuf) {
        String op = "softmaxCrossEntropyBackward";
        checkRows(op, rows, cols);
        double[] probs = Args.need(op, "probs", probsBuf, (long) rows * cols);
        double[] labels = Args.need(op, "labels", labelsBuf, rows);
        double[] dLoss = Args.need(op, "dLoss", dLossBuf, rows);
        double[] dLogits = Args.optional(op, "dLogits", dLogitsBuf, (long) rows * cols);
        if (dLogits == null) return;
        for (int r = 0; r < rows; r++) {
            int label = Args.index(op, "labels", labels[r], r, cols);
            for (int j = 0; j < cols; j++)
                dLogits[r * cols + j] += (probs[r * cols + j] - (j == label ? 1 : 0)) * dLoss[r];
        }
    }

    private static double rowMax(double[] x, int offset, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[offset + j]);
        return max;
    }

    /** log(sum_j exp(x[j] - max)): the log-sum-exp less the row max, >= 0 since one term is exp(0). */
    private static double logSumShifted(double[] x, int offset, int cols, double max) {
        double sum = 0;
        for (int j = 0; j < cols; j++) sum += Math.exp(x[offset + j] - max);
        return Math.log(sum);
    }

    /** out[i,:] = table[ids[i],:]. The table's row count is only known as a bound from its length. */
    static void gatherRows(int count, int width, Buffer tableBuf, Buffer idsBuf, Buffer outBuf) {
        checkSizes("gatherRows", "count", count, "width", width);
        double[] table = Args.need("gatherRows", "table", tableBuf, width);        // (tableRows, width)
        double[] ids = Args.need("gatherRows", "ids", idsBuf, count);              // (count) int32
        double[] out = Args.need("gatherRows", "out", outBuf, (long) count * width); // (count, width)
        long tableRows = table.length / width;
        for (int i = 0; i < count; i++) {
            int id = Args.index("gatherRows", "ids", ids[i], i, tableRows);
            System.arraycopy(table, id * width, out, i * width, width);
        }
    }

    /** dTable[ids[i],:] += dOut[i,:]; repeated ids accumulate. */
    static void gatherRowsBackward(int count, int width, Buffer dOutBuf, Buffer idsBuf, Buffer dTableBuf) {
        checkSizes("gatherRowsBackward", "count", count, "width", width);
        double[] dOut = Args.need("gatherRowsBackward", "dOut", dOutBuf, (long) count * width);
        double[] ids = Args.need("gatherRowsBackward", "ids", idsBuf, count);
        double[] dTable = Args.optional("gatherRowsBackward", "dTable", dTableBuf, width);
        if (dTable == null) return;
        long tableRows = dTable.length / width;
        for (int i = 0; i < count; i++) {
            int id = Args.index("gatherRowsBackward", "ids", ids[i], i, tableRows);
            for (int j = 0; j < width; j++) dTable[id * width + j] += dOut[i * width + j];
        }
    }

    /** mask[i] = u(seed, i) < keep ? 1/keep : 0, with the shared counter-based draw. */
    static void dropoutMask(long n, float keep, long seed, Buffer maskBuf) {
        OpChecks.nonNegative("dropoutMask", "n", n);
        if (!(keep > 0 && keep <= 1))   // written so that NaN fails too
            throw new IllegalArgumentException("dropoutMask: keep (" + keep + ") must be in (0, 1]");
        double[] mask = Args.need("dropoutMask", "mask", maskBuf, n);
        // float division, as every float32 backend computes the scale
        double scale = 1f / keep;
        for (int i = 0; i < n; i++) mask[i] = DropoutHash.uniform(seed, i) < keep ? scale : 0;
    }

    /** gates (n, 4*hidden) = [i | f | g | o]; c = sig(f)*cPrev + sig(i)*tanh(g); h = sig(o)*tanh(c). */
    static void lstmCell(int n, int hidden, Buffer gatesBuf, Buffer cPrevBuf, Buffer cBuf, Buffer hBuf) {
        String op = "lstmCell";
        checkSizes(op, "n", n, "hidden", hidden);
        double[] gates = Args.need(op, "gates", gatesBuf, 4L * n * hidden);   // (n, 4*hidden)
        double[] cPrev = Args.need(op, "cPrev", cPrevBuf, (long) n * hidden); // (n, hidden)
        double[] c = Args.need(op, "c", cBuf, (long) n * hidden);             // (n, hidden)
        double[] h = Args.need(op, "h", hBuf, (long) n * hidden);             // (n, hidden)
        for (int r = 0; r < n; r++)
            for (int u = 0; u < hidden; u++) {
                int row = r * 4 * hidden;
                double ig = DenseOps.sigmoid(gates[row + u]);
                double fg = DenseOps.sigmoid(gates[row + hidden + u]);
                double gg = Math.tanh(gates[row + 2 * hidden + u]);
                double og = DenseOps.sigmoid(gates[row + 3 * hidden + u]);
                int at = r * hidden + u;
                double cNew = fg * cPrev[at] + ig * gg;
                c[at] = cNew;
                h[at] = og * Math.tanh(cNew);
            }
    }

    /**
     * With dcTotal = dc + dh*sig(o)*(1 - tanh(c)^2): dGates_i += dcTotal*tanh(g)*sig'(i),
     * dGates_f += dcTotal*cPrev*sig'(f), dGates_g += dcTotal*sig(i)*(1 - tanh(g)^2),
     * dGates_o += dh*tanh(c)*sig'(o), dcPrev += dcTotal*sig(f). dh, dc null read as zero.
     */
    static void lstmCellBackward(int n, int hidden, Buffer gatesBuf, Buffer cPrevBuf, Buffer cBuf, Buffer dhBuf,
                                 Buffer dcBuf, Buffer dGatesBuf, Buffer dcPrevBuf) {
        String op = "lstmCellBackward";
        checkSizes(op, "n", n, "hidden", hidden);
        long cells = (long) n * hidden;
        double[] gates = Args.need(op, "gates", gatesBuf, 4 * cells);      // (n, 4*hidden)
        double[] cPrev = Args.need(op, "cPrev", cPrevBuf, cells);          // (n, hidden)
        double[] c = Args.need(op, "c", cBuf, cells);                      // (n, hidden)
        double[] dh = Args.optional(op, "dh", dhBuf, cells);               // (n, hidden)
        double[] dc = Args.optional(op, "dc", dcBuf, cells);               // (n, hidden)
        double[] dGates = Args.optional(op, "dGates", dGatesBuf, 4 * cells);
        double[] dcPrev = Args.optional(op, "dcPrev", dcPrevBuf, cells);
        for (int r = 0; r < n; r++)
            for (int u = 0; u < hidden; u++) {
                int row = r * 4 * hidden, at = r * hidden + u;
                double ig = DenseOps.sigmoid(gates[row + u]);
                double fg = DenseOps.sigmoid(gates[row + hidden + u]);
                double gg = Math.tanh(gates[row + 2 * hidden + u]);
                double og = DenseOps.sigmoid(gates[row + 3 * hidden + u]);
                double tc = Math.tanh(c[at]);
                double gh = dh == null ? 0 : dh[at];
                double dcTotal = (dc == null ? 0 : dc[at]) + gh * og * (1 - tc * tc);
                if (dGates != null) {
                    dGates[row + u] += dcTotal * gg * ig * (1 - ig);
                    dGates[row + hidden + u] += dcTotal * cPrev[at] * fg * (1 - fg);
                    dGates[row + 2 * hidden + u] += dcTotal * ig * (1 - gg * gg);
                    dGates[row + 3 * hidden + u] += gh * tc * og * (1 - og);
                }
                if (dcPrev != null) dcPrev[at] += dcTotal * fg;
            }
    }

    private static void checkRows(String op, long rows, long cols) {
        checkSizes(op, "rows", rows, "cols", cols);
    }

    private static void checkSizes(String op, String rowRole, long rows, String colRole, long cols) {
        OpChecks.positive(op, rowRole, rows);
        OpChecks.positive(op, colRole, cols);
    }
}
