package org.nasengine.backend.cuda;

import static org.nasengine.backend.OpChecks.nonNegative;
import static org.nasengine.backend.OpChecks.positive;
import static org.nasengine.backend.cuda.CudaChecks.need;
import static org.nasengine.backend.cuda.CudaChecks.optional;

import org.nasengine.backend.Buffer;

/**
 * The row ops of {@link CudaBackend} (kernels/rows.cu, kernels/lstm.cu): checks on entry, then one
 * launch each. Row reductions run one block per row, sized to the row.
 */
final class CudaRows {
    private CudaRows() {}

    /** A block for one row: a multiple of 32 threads, no more than the row needs, at most 256. */
    static int rowBlock(int cols) {
        return Math.min(DeviceApi.BLOCK, Math.max(32, (cols + 31) / 32 * 32));
    }

    static void logSoftmax(CudaBackend be, int rows, int cols, Buffer x, Buffer y) {
        String op = "logSoftmax";
        positive(op, "rows", rows);
        positive(op, "cols", cols);
        CudaBuffer bx = need(be.memory(), op, "x", x, (long) rows * cols);   // (rows, cols)
        CudaBuffer by = need(be.memory(), op, "y", y, (long) rows * cols);   // (rows, cols)
        be.runOp(op, () -> rows + "x" + cols, () ->
                be.device().launch(Kernel.LOG_SOFTMAX_FWD, rows, 1, 1, rowBlock(cols), rows, cols, bx, by));
    }

    static void logSoftmaxBackward(CudaBackend be, int rows, int cols, Buffer y, Buffer dy, Buffer dx) {
        String op = "logSoftmaxBackward";
        positive(op, "rows", rows);
        positive(op, "cols", cols);
        CudaBuffer by = need(be.memory(), op, "y", y, (long) rows * cols);
        CudaBuffer bdy = need(be.memory(), op, "dy", dy, (long) rows * cols);
        CudaBuffer bdx = optional(be.memory(), op, "dx", dx, (long) rows * cols);
        if (bdx == null) return;
        be.runOp(op, () -> rows + "x" + cols, () ->
                be.device().launch(Kernel.LOG_SOFTMAX_BWD, rows, 1, 1, rowBlock(cols), rows, cols, by, bdy, bdx));
    }

    /**
     * Labels are checked on the device: the kernel reports the first row whose label is outside
     * [0, cols), which costs one wait for the queue per call (a training step reads its loss anyway).
     */
    static void softmaxCrossEntropy(CudaBackend be, int rows, int cols, Buffer logits, Buffer labels, Buffer probs,
                                    Buffer loss) {
        String op = "softmaxCrossEntropy";
        positive(op, "rows", rows);
        positive(op, "cols", cols);
        CudaBuffer bl = need(be.memory(), op, "logits", logits, (long) rows * cols);   // (rows, cols)
        CudaBuffer blab = need(be.memory(), op, "labels", labels, rows);               // (rows) int32
        CudaBuffer bp = need(be.memory(), op, "probs", probs, (long) rows * cols);     // (rows, cols)
        CudaBuffer bloss = need(be.memory(), op, "loss", loss, rows);                  // (rows)
        be.runOp(op, () -> rows + "x" + cols, () -> {
            DevicePtr flag = be.memory().resetFlag();
            be.device().launch(Kernel.SOFTMAX_XENT_FWD, rows, 1, 1, rowBlock(cols), rows, cols, bl, blab, bp, bloss, flag);
            rejectBadIndex(be, op, "labels", blab, cols);
        });
    }

    /** Throws like the reference when the kernel flagged a row: "labels[3] (12) must be an integer in [0, 10)". */
    private static void rejectBadIndex(CudaBackend be, String op, String role, CudaBuffer indices, long bound) {
        int row = be.memory().takeFlag();
        if (row == CudaMemory.NO_ERROR) return;
        int value = be.memory().readInt(indices, row);
        throw new IllegalArgumentException(op + ": " + role + "[" + row + "] (" + value
                + ") must be an integer in [0, " + bound + ")");
    }

    static void softmaxCrossEntropyBackward(CudaBackend be, int rows, int cols, Buffer probs, Buffer labels,
                                            Buffer dLoss, Buffer dLogits) {
        String op = "softmaxCrossEntropyBackward";
        positive(op, "rows", rows);
        positive(op, "cols", cols);
        CudaBuffer bp = need(be.memory(), op, "probs", probs, (long) rows * cols);
        CudaBuffer blab = need(be.memory(), op, "labels", labels, rows);
        CudaBuffer bdl = need(be.memory(), op, "dLoss", dLoss, rows);
        CudaBuffer bd = optional(be.memory(), op, "dLogits", dLogits, (long) rows * cols);
        if (bd == null) return;
        be.runOp(op, () -> rows + "x" + cols, () -> be.device().launch1d(Kernel.SOFTMAX_XENT_BWD,
                (long) rows * cols, rows, cols, bp, blab, bdl, bd));
    }

    /**
     * The table's row count is known only as a bound, from its buffer's length (as in the
     * reference). Ids are checked on the device like softmaxCrossEntropy's labels.
     */
    static void gatherRows(CudaBackend be, int count, int width, Buffer table, Buffer ids, Buffer out) {
        String op = "gatherRows";
        positive(op, "count", count);
        positive(op, "width", width);
        CudaBuffer bt = need(be.memory(), op, "table", table, width);              // (tableRows, width)
        CudaBuffer bi = need(be.memory(), op, "ids", ids, count);                  // (count) int32
        CudaBuffer bo = need(be.memory(), op, "out", out, (long) count * width);   // (count, width)
        long tableRows = bt.capacity / width;
        be.runOp(op, () -> "count=" + count + " width=" + width, () -> {
            DevicePtr flag = be.memory().resetFlag();
            be.device().launch1d(Kernel.GATHER_ROWS, (long) count * width, count, width, tableRows, bt, bi, bo, flag);
            rejectBadIndex(be, op, "ids", bi, tableRows);
        });
    }

    static void gatherRowsBackward(CudaBackend be, int count, int width, Buffer dOut, Buffer ids, Buffer dTable) {
        String op = "gatherRowsBackward";
        positive(op, "count", count);
        positive(op, "width", width);
        CudaBuffer bd = need(be.memory(), op, "dOut", dOut, (long) count * width);
        CudaBuffer bi = need(be.memory(), op, "ids", ids, count);
        CudaBuffer bt = optional(be.memory(), op, "dTable", dTable, width);
        if (bt == null) return;
        long tableRows = bt.capacity / width;
        be.runOp(op, () -> "count=" + count + " width=" + width, () -> be.device().launch1d(Kernel.GATHER_ROWS_BWD,
                (long) count * width, count, width, tableRows, bd, bi, bt));
    }

    static void dropoutMask(CudaBackend be, long n, float keep, long seed, Buffer mask) {
        nonNegative("dropoutMask", "n", n);
        if (!(keep > 0 && keep <= 1))   // written so that NaN fails too
            throw new IllegalArgumentException("dropoutMask: keep (" + keep + ") must be in (0, 1]");
        CudaBuffer bm = need(be.memory(), "dropoutMask", "mask", mask, n);
        be.runOp("dropoutMask", () -> "n=" + n + " keep=" + keep, () ->
                be.device().launch1d(Kernel.DROPOUT_MASK, n, n, keep, seed, bm));
    }

    static void lstmCell(CudaBackend be, int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h) {
        String op = "lstmCell";
        positive(op, "n", n);
        positive(op, "hidden", hidden);
        long cells = (long) n * hidden;
        CudaBuffer bg = need(be.memory(), op, "gates", gates, 4 * cells);   // (n, 4*hidden)
        CudaBuffer bcp = need(be.memory(), op, "cPrev", cPrev, cells);      // (n, hidden)
        CudaBuffer bc = need(be.memory(), op, "c", c, cells);               // (n, hidden)
        CudaBuffer bh = need(be.memory(), op, "h", h, cells);               // (n, hidden)
        be.runOp(op, () -> "n=" + n + " hidden=" + hidden, () ->
                be.device().launch1d(Kernel.LSTM_CELL_FWD, cells, n, hidden, bg, bcp, bc, bh));
    }

    static void lstmCellBackward(CudaBackend be, int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh,
                                 Buffer dc, Buffer dGates, Buffer dcPrev) {
        String op = "lstmCellBackward";
        positive(op, "n", n);
        positive(op, "hidden", hidden);
        long cells = (long) n * hidden;
        CudaBuffer bg = need(be.memory(), op, "gates", gates, 4 * cells);
        CudaBuffer bcp = need(be.memory(), op, "cPrev", cPrev, cells);
        CudaBuffer bc = need(be.memory(), op, "c", c, cells);
        CudaBuffer bdh = optional(be.memory(), op, "dh", dh, cells);
        CudaBuffer bdc = optional(be.memory(), op, "dc", dc, cells);
        CudaBuffer bdg = optional(be.memory(), op, "dGates", dGates, 4 * cells);
        CudaBuffer bdcp = optional(be.memory(), op, "dcPrev", dcPrev, cells);
        if (bdg == null && bdcp == null) return;
        be.runOp(op, () -> "n=" + n + " hidden=" + hidden, () -> be.device().launch1d(Kernel.LSTM_CELL_BWD, cells,
                n, hidden, bg, bcp, bc, bdh, bdc, bdg, bdcp));
    }
}
