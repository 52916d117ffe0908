package org.nasengine.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.SgdConfig;

/** Row operations (softmax, cross-entropy, gather, dropout), the LSTM cell and the optimizer steps of {@link NativeBackend}. */
final class RowFamily {
    private RowFamily() {}

    private static void rows(String op, long rows, long cols) {
        OpChecks.positive(op, "rows", rows);
        OpChecks.positive(op, "cols", cols);
    }

    static void logSoftmax(NativeBackend be, int rows, int cols, Buffer x, Buffer y) {
        rows("logSoftmax", rows, cols);
        MemorySegment sx = NativeArgs.need(be, "logSoftmax", "x", x, (long) rows * cols);   // (rows, cols)
        MemorySegment sy = NativeArgs.need(be, "logSoftmax", "y", y, (long) rows * cols);   // (rows, cols)
        int rc;
        try {
            rc = (int) NativeCalls.LOG_SOFTMAX.invokeExact(rows, cols, sx, sy);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_log_softmax", t);
        }
        NativeArgs.check("logSoftmax", rc, rows + "x" + cols);
    }

    static void logSoftmaxBackward(NativeBackend be, int rows, int cols, Buffer y, Buffer dy, Buffer dx) {
        String op = "logSoftmaxBackward";
        rows(op, rows, cols);
        MemorySegment sy = NativeArgs.need(be, op, "y", y, (long) rows * cols);
        MemorySegment sdy = NativeArgs.need(be, op, "dy", dy, (long) rows * cols);
        MemorySegment sdx = NativeArgs.optional(be, op, "dx", dx, (long) rows * cols);
        if (dx == null) return;
        int rc;
        try {
            rc = (int) NativeCalls.LOG_SOFTMAX_BACKWARD.invokeExact(rows, cols, sy, sdy, sdx);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_log_softmax_backward", t);
        }
        NativeArgs.check(op, rc, rows + "x" + cols);
    }

    static void softmaxCrossEntropy(NativeBackend be, int rows, int cols, Buffer logits, Buffer labels, Buffer probs,
                                    Buffer loss) {
        String op = "softmaxCrossEntropy";
        rows(op, rows, cols);
        MemorySegment sl = NativeArgs.need(be, op, "logits", logits, (long) rows * cols);   // (rows, cols)
        MemorySegment sy = NativeArgs.need(be, op, "labels", labels, rows);                 // (rows) int32
        MemorySegment sp = NativeArgs.need(be, op, "probs", probs, (long) rows * cols);     // (rows, cols)
        MemorySegment ss = NativeArgs.need(be, op, "loss", loss, rows);                     // (rows)
        int rc;
        try {
            rc = (int) NativeCalls.XENT.invokeExact(rows, cols, sl, sy, sp, ss);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_softmax_xent", t);
        }
        NativeArgs.check(op, rc, rc == 3 ? NativeArgs.badIndex("labels", sy, rows, cols) : rows + "x" + cols);
    }

    static void softmaxCrossEntropyBackward(NativeBackend be, int rows, int cols, Buffer probs, Buffer labels,
                                            Buffer dLoss, Buffer dLogits) {
        String op = "softmaxCrossEntropyBackward";
        rows(op, rows, cols);
        MemorySegment sp = NativeArgs.need(be, op, "probs", probs, (long) rows * cols);
        MemorySegment sy = NativeArgs.need(be, op, "labels", labels, rows);
        MemorySegment sd = NativeArgs.need(be, op, "dLoss", dLoss, rows);
        MemorySegment sdl = NativeArgs.optional(be, op, "dLogits", dLogits, (long) rows * cols);
        if (dLogits == null) return;
        int rc;
        try {
            rc = (int) NativeCalls.XENT_BACKWARD.invokeExact(rows, cols, sp, sy, sd, sdl);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_softmax_xent_backward", t);
        }
        NativeArgs.check(op, rc, rc == 3 ? NativeArgs.badIndex("labels", sy, rows, cols) : rows + "x" + cols);
    }

    /** The table's row count is only known as a bound, from its buffer's length. */
    static void gatherRows(NativeBackend be, int count, int width, Buffer table, Buffer ids, Buffer out) {
        String op = "gatherRows";
        OpChecks.positive(op, "count", count);
        OpChecks.positive(op, "width", width);
        MemorySegment st = NativeArgs.need(be, op, "table", table, width);               // (tableRows, width)
        MemorySegment si = NativeArgs.need(be, op, "ids", ids, count);                   // (count) int32
        MemorySegment so = NativeArgs.need(be, op, "out", out, (long) count * width);    // (count, width)
        long tableRows = table.length() / width;
        int rc;
        try {
            rc = (int) NativeCalls.GATHER.invokeExact(count, width, tableRows, st, si, so);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_gather_rows", t);
        }
        NativeArgs.check(op, rc, rc == 3 ? NativeArgs.badIndex("ids", si, count, tableRows) : count + "x" + width);
    }

    static void gatherRowsBackward(NativeBackend be, int count, int width, Buffer dOut, Buffer ids, Buffer dTable) {
        String op = "gatherRowsBackward";
        OpChecks.positive(op, "count", count);
        OpChecks.positive(op, "width", width);
        MemorySegment so = NativeArgs.need(be, op, "dOut", dOut, (long) count * width);
        MemorySegment si = NativeArgs.need(be, op, "ids", ids, count);
        MemorySegment st = NativeArgs.optional(be, op, "dTable", dTable, width);
        if (dTable == null) return;
        long tableRows = dTable.length() / width;
        int rc;
        try {
            rc = (int) NativeCalls.GATHER_BACKWARD.invokeExact(count, width, tableRows, so, si, st);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_gather_rows_backward", t);
        }
        NativeArgs.check(op, rc, rc == 3 ? NativeArgs.badIndex("ids", si, count, tableRows) : count + "x" + width);
    }

    static void dropoutMask(NativeBackend be, long n, float keep, long seed, Buffer mask) {
        OpChecks.nonNegative("dropoutMask", "n", n);
        if (!(keep > 0 && keep <= 1))   // written so that NaN fails too
            throw new IllegalArgumentException("dropoutMask: keep (" + keep + ") must be in (0, 1]");
        MemorySegment sm = NativeArgs.need(be, "dropoutMask", "mask", mask, n);
        try {
            NativeCalls.DROPOUT.invokeExact(n, keep, seed, sm);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_dropout_mask", t);
        }
    }

    static void lstmCell(NativeBackend be, int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h) {
        String op = "lstmCell";
        OpChecks.positive(op, "n", n);
        OpChecks.positive(op, "hidden", hidden);
        long cells = (long) n * hidden;
        MemorySegment sg = NativeArgs.need(be, op, "gates", gates, 4 * cells);   // (n, 4*hidden)
        MemorySegment sp = NativeArgs.need(be, op, "cPrev", cPrev, cells);       // (n, hidden)
        MemorySegment sc = NativeArgs.need(be, op, "c", c, cells);               // (n, hidden)
        MemorySegment sh = NativeArgs.need(be, op, "h", h, cells);               // (n, hidden)
        int rc;
        try {
            rc = (int) NativeCalls.LSTM.invokeExact(n, hidden, sg, sp, sc, sh);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_lstm_cell", t);
        }
        NativeArgs.check(op, rc, n + "x" + hidden);
    }

    static void lstmCellBackward(NativeBackend be, int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh,
                                 Buffer dc, Buffer dGates, Buffer dcPrev) {
        String op = "lstmCellBackward";
        OpChecks.positive(op, "n", n);
        OpChecks.positive(op, "hidden", hidden);
        long cells = (long) n * hidden;
        MemorySegment sg = NativeArgs.need(be, op, "gates", gates, 4 * cells);
        MemorySegment sp = NativeArgs.need(be, op, "cPrev", cPrev, cells);
        MemorySegment sc = NativeArgs.need(be, op, "c", c, cells);
        MemorySegment sdh = NativeArgs.optional(be, op, "dh", dh, cells);
        MemorySegment sdc = NativeArgs.optional(be, op, "dc", dc, cells);
        MemorySegment sdg = NativeArgs.optional(be, op, "dGates", dGates, 4 * cells);
        MemorySegment sdp = NativeArgs.optional(be, op, "dcPrev", dcPrev, cells);
        int rc;
        try {
            rc = (int) NativeCalls.LSTM_BACKWARD.invokeExact(n, hidden, sg, sp, sc, sdh, sdc, sdg, sdp);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_lstm_cell_backward", t);
        }
        NativeArgs.check(op, rc, n + "x" + hidden);
    }

    static void sgdStep(NativeBackend be, long n, SgdConfig cfg, float lr, Buffer param, Buffer grad, Buffer velocity) {
        OpChecks.nonNegative("sgdStep", "n", n);
        MemorySegment sp = NativeArgs.need(be, "sgdStep", "param", param, n);
        MemorySegment sg = NativeArgs.need(be, "sgdStep", "grad", grad, n);
        boolean momentum = cfg.momentum() != 0;
        MemorySegment sv = momentum ? NativeArgs.need(be, "sgdStep", "velocity", velocity, n)
                : NativeArgs.optional(be, "sgdStep", "velocity", velocity, n);
        try {
            NativeCalls.SGD.invokeExact(n, cfg.momentum(), cfg.weightDecay(), cfg.nesterov() ? 1 : 0, lr, sp, sg, sv);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_sgd_step", t);
        }
    }

    static void adamStep(NativeBackend be, long n, AdamConfig cfg, float lr, int step, Buffer param, Buffer grad,
                         Buffer m, Buffer v) {
        OpChecks.nonNegative("adamStep", "n", n);
        OpChecks.positive("adamStep", "step", step);
        MemorySegment sp = NativeArgs.need(be, "adamStep", "param", param, n);
        MemorySegment sg = NativeArgs.need(be, "adamStep", "grad", grad, n);
        MemorySegment sm = NativeArgs.need(be, "adamStep", "m", m, n);
        MemorySegment sv = NativeArgs.need(be, "adamStep", "v", v, n);
        try {
            NativeCalls.ADAM.invokeExact(n, cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), lr, step, sp, sg, sm,
                    sv);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_adam_step", t);
        }
    }
}
