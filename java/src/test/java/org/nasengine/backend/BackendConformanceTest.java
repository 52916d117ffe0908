package org.nasengine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The conformance suite every non-reference backend runs: each {@link Backend} method against the
 * reference {@code JavaBackend} on fresh random inputs (seed printed on failure), with stated
 * tolerances (see {@link ConformanceHarness}). This class holds memory, dense algebra, rows and
 * optimizers; the convolution family is in {@link ConvConformance}. A backend's test extends this
 * class and returns itself from {@link #candidate()}, skipping through Assumptions when absent.
 */
public abstract class BackendConformanceTest extends ConvConformance {

    // ---- memory ----

    @Test
    void allocateIsZeroFilledEvenWhenReused() {
        Buffer b = cand.allocate(1000);
        cand.fill(b, 0, 1000, 7f);
        cand.release(b);
        long reusesBefore = cand.poolStats().reuses();
        Buffer again = cand.allocate(1000);
        assertEquals(reusesBefore + 1, cand.poolStats().reuses(), "the released buffer should be reused");
        float[] out = new float[1000];
        cand.read(again, 0, out);
        assertArrayEquals(new float[1000], out, "allocate must zero-fill a reused buffer");
        assertTrue(again.length() >= 1000, "capacity " + again.length() + " below the requested 1000");
        cand.release(again);
    }

    @Test
    void writeReadFillCopyWithOffsets() {
        Twin t = random(300);
        float[] part = {1.5f, -2f, 3.25f};
        ref.write(part, t.r(), 17);
        cand.write(part, t.c(), 17);
        ref.fill(t.r(), 100, 50, -0.5f);
        cand.fill(t.c(), 100, 50, -0.5f);
        ref.copy(t.r(), 0, t.r(), 5, 40);   // overlapping, forwards
        cand.copy(t.c(), 0, t.c(), 5, 40);
        Twin other = poisoned(120);
        ref.copy(t.r(), 150, other.r(), 10, 100);
        cand.copy(t.c(), 150, other.c(), 10, 100);
        assertClose("write/fill/copy", "(300)", t, 300, 0, 0);
        float[] got = new float[100], want = new float[100];
        cand.read(other.c(), 10, got);
        ref.read(other.r(), 10, want);
        assertClose("copy into another buffer", "(120) at 10", want, got, 0, 0);
    }

    @Test
    void releaseTwiceAndForeignBuffersAreRejected() {
        Buffer b = cand.allocate(10);
        cand.release(b);
        assertThrows(RuntimeException.class, () -> cand.release(b), "double release");
        Buffer foreign = ref.allocate(10);
        assertThrows(IllegalArgumentException.class, () -> cand.scale(10, 2f, foreign), "reference buffer given to " + cand.name());
        ref.release(foreign);
        Buffer small = cand.allocate(10);
        assertThrows(IllegalArgumentException.class, () -> cand.scale(small.length() + 1, 2f, small), "short buffer");
        cand.release(small);
    }

    // ---- dense algebra ----

    @Test
    void gemmAllTranspositionsBetasAndBatches() {
        int[][] sizes = {{1, 1, 1}, {17, 5, 33}, {3, 40, 2}, {64, 70, 90}, {150, 130, 120}};
        for (int[] s : sizes)
            for (int t = 0; t < 4; t++)
                for (float beta : new float[] {0f, 1f}) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    Gemm g = new Gemm(ta, tb, m, n, k, beta == 0 ? 1f : 0.75f, beta, 1, 0, 0, 0);
                    checkGemm(g);
                }
        // batched, odd batch (items get split across threads), and a weight shared through stride 0
        checkGemm(Gemm.batched(false, true, 9, 31, 13, 0f, 3));
        checkGemm(new Gemm(true, false, 20, 50, 7, 1f, 1f, 5, 0, 50L * 7, 20L * 50 + 3));
        checkGemm(Gemm.batched(false, false, 33, 65, 40, 1f, 8));
        // big enough to go parallel: an odd batch cut into column slices, an even one shared by item
        checkGemm(Gemm.batched(true, false, 100, 90, 80, 0f, 3));
        checkGemm(Gemm.batched(false, true, 60, 70, 80, 1f, 4));
        checkGemm(Gemm.of(true, true, 300, 20, 64, 0f));   // m > n: sliced by rows
    }

    private void checkGemm(Gemm g) {
        long last = g.batch() - 1;
        Twin a = random(last * g.strideA() + (long) g.m() * g.k());
        Twin b = random(last * g.strideB() + (long) g.k() * g.n());
        long cLen = last * g.strideC() + (long) g.m() * g.n();
        Twin c = g.beta() == 0 ? poisoned(cLen) : random(cLen);   // beta 0 must ignore NaN in C
        ref.gemm(g, r(a), r(b), r(c));
        cand.gemm(g, c(a), c(b), c(c));
        if (g.batch() > 1 && g.strideC() > (long) g.m() * g.n()) {
            // gaps between the batch items of C are not the op's: compare item by item
            for (int i = 0; i < g.batch(); i++) {
                float[] want = new float[g.m() * g.n()], got = new float[want.length];
                ref.read(c.r(), i * g.strideC(), want);
                cand.read(c.c(), i * g.strideC(), got);
                assertClose("gemm C item " + i, g.toString(), want, got, SUM_ATOL, SUM_RTOL);
            }
        } else {
            assertClose("gemm C", g.toString(), c, cLen, SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void unaryForwardAndBackwardForEveryFunction() {
        for (Unary op : Unary.values())
            for (int n : new int[] {1, 37, 70001}) {
                // log needs positive inputs; exp's are kept moderate
                Twin x = op == Unary.LOG ? random(n, 0.05f, 4f) : random(n, -6f, 6f);
                Twin y = poisoned(n);
                ref.unary(op, n, r(x), r(y));
                cand.unary(op, n, c(x), c(y));
                assertClose("unary " + op, "(" + n + ")", y, n, EW_ATOL, EW_RTOL);
                Twin dy = random(n), dx = random(n);
                ref.unaryBackward(op, n, r(x), r(y), r(dy), r(dx));
                cand.unaryBackward(op, n, c(x), c(y), c(dy), c(dx));
                assertClose("unaryBackward " + op, "(" + n + ")", dx, n, EW_ATOL, EW_RTOL);
            }
    }

    @Test
    void binaryWithBroadcasting() {
        int[][][] shapes = {
                {{4, 5, 6, 7}, {4, 5, 6, 7}},   // same
                {{2, 3, 4, 5}, {1, 3, 1, 1}},   // per channel
                {{1}, {3, 9}},                  // scalar against a matrix
                {{6, 1}, {1, 11}},              // outer
                {{8, 64, 12, 12}, {8, 64, 12, 12}},   // parallel path
        };
        for (int[][] s : shapes) {
            Broadcast bc = Broadcast.of(s[0], s[1]);
            long na = size(s[0]), nb = size(s[1]);
            for (Binary op : Binary.values()) {
                Twin a = random(na), b = op == Binary.DIV ? random(nb, 0.5f, 2f) : random(nb), out = poisoned(bc.size());
                ref.binary(op, bc, r(a), r(b), r(out));
                cand.binary(op, bc, c(a), c(b), c(out));
                assertClose("binary " + op, java.util.Arrays.toString(bc.shape()), out, bc.size(), EW_ATOL, EW_RTOL);
            }
        }
    }

    @Test
    void sumIntoReducesOverBroadcastDimensions() {
        int[][][] cases = {{{2, 3, 4, 5}, {1, 3, 1, 1}}, {{7, 9}, {1, 9}}, {{7, 9}, {7, 1}}, {{3, 4}, {1}}, {{5, 5}, {5, 5}}};
        for (int[][] s : cases) {
            Broadcast pair = Broadcast.of(s[0], s[1]);
            // dst indexed by the smaller shape's strides, src dense over the full shape
            Broadcast bc = new Broadcast(pair.shape(), pair.bStrides(), pair.aStrides());
            Twin src = random(bc.size()), dst = random(size(s[1]));
            ref.sumInto(bc, r(src), r(dst));
            cand.sumInto(bc, c(src), c(dst));
            assertClose("sumInto", java.util.Arrays.toString(bc.shape()), dst, size(s[1]), SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void scaleAndSumOfSquares() {
        for (int n : new int[] {1, 333, 100003}) {
            Twin x = random(n);
            ref.scale(n, -1.75f, r(x));
            cand.scale(n, -1.75f, c(x));
            assertClose("scale", "(" + n + ")", x, n, EW_ATOL, EW_RTOL);
            assertCloseScalar("sumOfSquares (" + n + ")", ref.sumOfSquares(n, r(x)), cand.sumOfSquares(n, c(x)), 1e-6, 1e-6);
        }
    }

    private static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    // ---- rows ----

    @Test
    void logSoftmaxForwardBackwardAndInPlace() {
        for (int[] rc : new int[][] {{1, 1}, {5, 10}, {3, 10000}, {64, 129}}) {
            int rows = rc[0], cols = rc[1];
            long n = (long) rows * cols;
            String shape = "(" + rows + ", " + cols + ")";
            Twin x = random(n, -8f, 8f), y = poisoned(n);
            ref.logSoftmax(rows, cols, r(x), r(y));
            cand.logSoftmax(rows, cols, c(x), c(y));
            assertClose("logSoftmax", shape, y, n, SUM_ATOL, SUM_RTOL);
            Twin dy = random(n), dx = random(n);
            ref.logSoftmaxBackward(rows, cols, r(y), r(dy), r(dx));
            cand.logSoftmaxBackward(rows, cols, c(y), c(dy), c(dx));
            assertClose("logSoftmaxBackward", shape, dx, n, SUM_ATOL, SUM_RTOL);
            ref.logSoftmax(rows, cols, r(x), r(x));   // x and y may be one buffer
            cand.logSoftmax(rows, cols, c(x), c(x));
            assertClose("logSoftmax in place", shape, x, n, SUM_ATOL, SUM_RTOL);
        }
    }

    @Test
    void softmaxCrossEntropyWithIntLabels() {
        for (int[] rc : new int[][] {{1, 2}, {7, 10}, {128, 10}, {4, 1000}}) {
            int rows = rc[0], cols = rc[1];
            long n = (long) rows * cols;
            String shape = "(" + rows + ", " + cols + ")";
            int[] labelValues = new int[rows];
            for (int i = 0; i < rows; i++) labelValues[i] = rnd.nextInt(cols);
            labelValues[0] = cols - 1;   // the last class is a valid label
            Twin logits = random(n, -5f, 5f), labels = ints(labelValues), probs = poisoned(n), loss = poisoned(rows);
            ref.softmaxCrossEntropy(rows, cols, r(logits), r(labels), r(probs), r(loss));
            cand.softmaxCrossEntropy(rows, cols, c(logits), c(labels), c(probs), c(loss));
            assertClose("softmaxCrossEntropy probs", shape, probs, n, EW_ATOL, SUM_RTOL);
            assertClose("softmaxCrossEntropy loss", shape, loss, rows, SUM_ATOL, SUM_RTOL);
            Twin dLoss = random(rows), dLogits = random(n);
            ref.softmaxCrossEntropyBackward(rows, cols, r(probs), r(labels), r(dLoss), r(dLogits));
            cand.softmaxCrossEntropyBackward(rows, cols, c(probs), c(labels), c(dLoss), c(dLogits));
            assertClose("softmaxCrossEntropyBackward", shape, dLogits, n, SUM_ATOL, SUM_RTOL);
        }
        Twin logits = random(6), bad = ints(new int[] {1, 3}), probs = poisoned(6), loss = poisoned(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cand.softmaxCrossEntropy(2, 3, c(logits), c(bad), c(probs), c(loss)));
        assertTrue(e.getMessage().contains("labels[1]"), "message should name the bad label: " + e.getMessage());
    }

    @Test
    void gatherRowsWithRepeatedIds() {
        int tableRows = 11, width = 13, count = 40;
        int[] idValues = new int[count];
        for (int i = 0; i < count; i++) idValues[i] = rnd.nextInt(tableRows);
        idValues[1] = idValues[0];   // a repeat: its gradient rows add up
        idValues[2] = tableRows - 1;
        Twin table = random((long) tableRows * width), ids = ints(idValues), out = poisoned((long) count * width);
        ref.gatherRows(count, width, r(table), r(ids), r(out));
        cand.gatherRows(count, width, c(table), c(ids), c(out));
        assertClose("gatherRows", "(" + count + ", " + width + ")", out, (long) count * width, 0, 0);
        Twin dOut = random((long) count * width), dTable = random((long) tableRows * width);
        ref.gatherRowsBackward(count, width, r(dOut), r(ids), r(dTable));
        cand.gatherRowsBackward(count, width, c(dOut), c(ids), c(dTable));
        assertClose("gatherRowsBackward", "(" + tableRows + ", " + width + ")", dTable, (long) tableRows * width,
                EW_ATOL, EW_RTOL);
        Twin negative = ints(new int[] {0, -1});
        assertThrows(IllegalArgumentException.class, () -> cand.gatherRows(2, width, c(table), c(negative), c(out)));
    }

    @Test
    void dropoutMaskIsBitIdentical() {
        for (float keep : new float[] {1f, 0.5f, 0.9f, 0.13f}) {
            long n = 50_001, seedValue = rnd.nextLong();
            Twin m = poisoned(n);
            ref.dropoutMask(n, keep, seedValue, r(m));
            cand.dropoutMask(n, keep, seedValue, c(m));
            assertClose("dropoutMask keep=" + keep, "(" + n + ")", m, n, 0, 0);
        }
    }

    @Test
    void lstmCellForwardAndBackward() {
        for (int[] nh : new int[][] {{1, 1}, {3, 17}, {32, 200}}) {
            int n = nh[0], hidden = nh[1];
            long cells = (long) n * hidden;
            String shape = "(" + n + ", " + hidden + ")";
            Twin gates = random(4 * cells, -3f, 3f), cPrev = random(cells), cOut = poisoned(cells), h = poisoned(cells);
            ref.lstmCell(n, hidden, r(gates), r(cPrev), r(cOut), r(h));
            cand.lstmCell(n, hidden, c(gates), c(cPrev), c(cOut), c(h));
            assertClose("lstmCell c", shape, cOut, cells, EW_ATOL, EW_RTOL);
            assertClose("lstmCell h", shape, h, cells, EW_ATOL, EW_RTOL);
            Twin dh = random(cells), dc = random(cells), dGates = random(4 * cells), dcPrev = random(cells);
            ref.lstmCellBackward(n, hidden, r(gates), r(cPrev), r(cOut), r(dh), r(dc), r(dGates), r(dcPrev));
            cand.lstmCellBackward(n, hidden, c(gates), c(cPrev), c(cOut), c(dh), c(dc), c(dGates), c(dcPrev));
            // dh only (dc zero), and dc only with dGates unwanted
            ref.lstmCellBackward(n, hidden, r(gates), r(cPrev), r(cOut), r(dh), null, r(dGates), r(dcPrev));
            cand.lstmCellBackward(n, hidden, c(gates), c(cPrev), c(cOut), c(dh), null, c(dGates), c(dcPrev));
            ref.lstmCellBackward(n, hidden, r(gates), r(cPrev), r(cOut), null, r(dc), null, r(dcPrev));
            cand.lstmCellBackward(n, hidden, c(gates), c(cPrev), c(cOut), null, c(dc), null, c(dcPrev));
            assertClose("lstmCellBackward dGates", shape, dGates, 4 * cells, EW_ATOL, SUM_RTOL);
            assertClose("lstmCellBackward dcPrev", shape, dcPrev, cells, EW_ATOL, SUM_RTOL);
        }
    }

    // ---- optimizers ----

    @Test
    void sgdStepsWithAndWithoutMomentum() {
        SgdConfig[] configs = {new SgdConfig(0f, 0f, false), new SgdConfig(0.9f, 1e-4f, false), new SgdConfig(0.9f, 5e-4f, true)};
        for (SgdConfig cfg : configs) {
            int n = 40_000 + rnd.nextInt(100);
            Twin p = random(n), v = cfg.momentum() == 0 ? null : random(n);
            for (int step = 0; step < 3; step++) {
                Twin g = random(n);
                ref.sgdStep(n, cfg, 0.05f, r(p), r(g), r(v));
                cand.sgdStep(n, cfg, 0.05f, c(p), c(g), c(v));
            }
            assertClose("sgdStep param " + cfg, "(" + n + ")", p, n, EW_ATOL, EW_RTOL);
            if (v != null) assertClose("sgdStep velocity " + cfg, "(" + n + ")", v, n, EW_ATOL, EW_RTOL);
        }
    }

    @Test
    void adamSteps() {
        for (AdamConfig cfg : new AdamConfig[] {AdamConfig.defaults(), new AdamConfig(0.8f, 0.99f, 1e-6f, 1e-2f)}) {
            int n = 1 + rnd.nextInt(50_000);
            Twin p = random(n), m = random(n, -0.01f, 0.01f), v = random(n, 0f, 0.01f);
            for (int step = 1; step <= 4; step++) {
                Twin g = random(n);
                ref.adamStep(n, cfg, 1e-3f, step, r(p), r(g), r(m), r(v));
                cand.adamStep(n, cfg, 1e-3f, step, c(p), c(g), c(m), c(v));
            }
            assertClose("adamStep param " + cfg, "(" + n + ")", p, n, EW_ATOL, EW_RTOL);
            assertClose("adamStep m " + cfg, "(" + n + ")", m, n, EW_ATOL, EW_RTOL);
            assertClose("adamStep v " + cfg, "(" + n + ")", v, n, EW_ATOL, EW_RTOL);
        }
    }
}
