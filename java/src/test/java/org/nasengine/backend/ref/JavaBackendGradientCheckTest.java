package org.nasengine.backend.ref;

import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;
import static org.nasengine.backend.ref.RefFixture.ints;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;

/**
 * Central finite differences in double against the backend's backward formulas, which are part of
 * the contract. The scalar checked is sum(out * r) for fixed random weights r, so the analytic side
 * is the backward called with dOut = r.
 */
class JavaBackendGradientCheckTest {
    private static final double H = 1e-6, ATOL = 1e-7, RTOL = 1e-6;
    private final JavaBackend be = new JavaBackend();
    private final Random rng = new Random(7);

    private double[] random(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (2 * rng.nextDouble() - 1);
        return v;
    }

    private double dot(Buffer out, double[] r) {
        double[] o = get(be, out, r.length);
        double s = 0;
        for (int i = 0; i < r.length; i++) s += o[i] * r[i];
        return s;
    }

    /** d loss / d input by central differences, perturbing each element of the buffer in place. */
    private double[] numeric(Buffer input, int n, DoubleSupplier loss) {
        double[] v = get(be, input, n), grad = new double[n];
        for (int i = 0; i < n; i++) {
            double keep = v[i];
            v[i] = keep + H;
            be.writeDoubles(v, input, 0);
            double plus = loss.getAsDouble();
            v[i] = keep - H;
            be.writeDoubles(v, input, 0);
            double minus = loss.getAsDouble();
            v[i] = keep;
            be.writeDoubles(v, input, 0);
            grad[i] = (plus - minus) / (2 * H);
        }
        return grad;
    }

    @Test
    void conv2dBackwardMatchesFiniteDifferences() {
        // asymmetric kernel and strides; then groups, dilation and padding larger than 1
        checkConv(new ConvGeometry(2, 3, 5, 4, 2, 3, 2, 1, 2, 1, 0, 1, 1, 1));
        checkConv(new ConvGeometry(2, 4, 6, 5, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2));
    }

    private void checkConv(ConvGeometry g) {
        int nx = (int) g.inputLength(), nw = (int) g.weightLength(), ny = (int) g.outputLength();
        Buffer x = buf(be, random(nx, 1)), w = buf(be, random(nw, 1)), y = be.allocate(ny);
        double[] r = random(ny, 1);
        DoubleSupplier loss = () -> {
            be.conv2d(g, x, w, y);
            return dot(y, r);
        };
        Buffer dx = be.allocate(nx), dw = be.allocate(nw);
        be.conv2dBackward(g, x, w, buf(be, r), dx, dw);
        assertClose("conv dx " + g, numeric(x, nx, loss), get(be, dx, nx), ATOL, RTOL);
        assertClose("conv dw " + g, numeric(w, nw, loss), get(be, dw, nw), ATOL, RTOL);
    }

    @Test
    void batchNormBackwardMatchesFiniteDifferences() {
        BatchNormSpec s = new BatchNormSpec(3, 2, 4, 1e-3f, 0.1f, true);
        int n = (int) s.length();
        Buffer x = buf(be, random(n, 2)), gamma = buf(be, random(2, 2)), beta = buf(be, random(2, 1));
        Buffer runMean = be.allocate(2), runVar = be.allocate(2), mean = be.allocate(2), invStd = be.allocate(2);
        Buffer y = be.allocate(n);
        double[] r = random(n, 1);
        DoubleSupplier loss = () -> {
            be.batchNorm(s, x, gamma, beta, runMean, runVar, mean, invStd, y);
            return dot(y, r);
        };
        loss.getAsDouble();   // saved statistics of the unperturbed point
        Buffer dx = be.allocate(n), dGamma = be.allocate(2), dBeta = be.allocate(2);
        be.batchNormBackward(s, x, gamma, mean, invStd, buf(be, r), dx, dGamma, dBeta);
        assertClose("bn dx (3,2,4)", numeric(x, n, loss), get(be, dx, n), ATOL, RTOL);
        assertClose("bn dGamma", numeric(gamma, 2, loss), get(be, dGamma, 2), ATOL, RTOL);
        assertClose("bn dBeta", numeric(beta, 2, loss), get(be, dBeta, 2), ATOL, RTOL);
    }

    @Test
    void padConcatBackwardMatchesFiniteDifferences() {
        // sizes 3x3, 6x5 (the output) and 2x4: odd padding in both directions
        JoinGeometry j = JoinGeometry.of(2, new int[] {2, 1, 3}, new int[] {3, 6, 2}, new int[] {3, 5, 4});
        Buffer[] in = new Buffer[3], grads = new Buffer[3];
        for (int i = 0; i < 3; i++) {
            in[i] = buf(be, random((int) j.inputLength(i), 1));
            grads[i] = be.allocate(j.inputLength(i));
        }
        int no = (int) j.outputLength();
        Buffer out = be.allocate(no);
        double[] r = random(no, 1);
        DoubleSupplier loss = () -> {
            be.padConcat(j, in, out);
            return dot(out, r);
        };
        be.padConcatBackward(j, buf(be, r), grads);
        for (int i = 0; i < 3; i++) {
            int n = (int) j.inputLength(i);
            assertClose("join dInputs[" + i + "]", numeric(in[i], n, loss), get(be, grads[i], n), ATOL, RTOL);
        }
    }

    @Test
    void lstmCellBackwardMatchesFiniteDifferences() {
        int n = 2, hidden = 3, cells = n * hidden;
        Buffer gates = buf(be, random(4 * cells, 2)), cPrev = buf(be, random(cells, 2));
        Buffer c = be.allocate(cells), h = be.allocate(cells);
        double[] rc = random(cells, 1), rh = random(cells, 1);
        DoubleSupplier loss = () -> {
            be.lstmCell(n, hidden, gates, cPrev, c, h);
            return dot(c, rc) + dot(h, rh);
        };
        loss.getAsDouble();
        Buffer dGates = be.allocate(4 * cells), dcPrev = be.allocate(cells);
        be.lstmCellBackward(n, hidden, gates, cPrev, c, buf(be, rh), buf(be, rc), dGates, dcPrev);
        assertClose("lstm dGates (2,12)", numeric(gates, 4 * cells, loss), get(be, dGates, 4 * cells), ATOL, RTOL);
        assertClose("lstm dcPrev (2,3)", numeric(cPrev, cells, loss), get(be, dcPrev, cells), ATOL, RTOL);
    }

    @Test
    void softmaxCrossEntropyBackwardMatchesFiniteDifferences() {
        int rows = 3, cols = 4;
        Buffer logits = buf(be, random(rows * cols, 3)), labels = ints(be, 2, 0, 3);
        Buffer probs = be.allocate(rows * cols), lossRows = be.allocate(rows);
        double[] dLoss = random(rows, 1);
        DoubleSupplier loss = () -> {
            be.softmaxCrossEntropy(rows, cols, logits, labels, probs, lossRows);
            return dot(lossRows, dLoss);
        };
        loss.getAsDouble();
        Buffer dLogits = be.allocate(rows * cols);
        be.softmaxCrossEntropyBackward(rows, cols, probs, labels, buf(be, dLoss), dLogits);
        assertClose("ce dLogits (3,4)", numeric(logits, rows * cols, loss), get(be, dLogits, rows * cols), ATOL, RTOL);
    }

    @Test
    void logSoftmaxBackwardMatchesFiniteDifferences() {
        int rows = 2, cols = 5, n = rows * cols;
        Buffer x = buf(be, random(n, 3)), y = be.allocate(n);
        double[] r = random(n, 1);
        DoubleSupplier loss = () -> {
            be.logSoftmax(rows, cols, x, y);
            return dot(y, r);
        };
        loss.getAsDouble();
        Buffer dx = be.allocate(n);
        be.logSoftmaxBackward(rows, cols, y, buf(be, r), dx);
        assertClose("logSoftmax dx (2,5)", numeric(x, n, loss), get(be, dx, n), ATOL, RTOL);
    }

    @Test
    void poolBackwardMatchesFiniteDifferences() {
        for (PoolGeometry.Kind kind : PoolGeometry.Kind.values()) {
            // random values are distinct, so the max is unique and differentiable
            PoolGeometry g = new PoolGeometry(kind, 2, 2, 5, 4, 3, 3, 2, 1, 1);
            int nx = (int) g.inputLength(), ny = (int) g.outputLength();
            Buffer x = buf(be, random(nx, 1)), y = be.allocate(ny);
            double[] r = random(ny, 1);
            DoubleSupplier loss = () -> {
                be.pool2d(g, x, y);
                return dot(y, r);
            };
            loss.getAsDouble();
            Buffer dx = be.allocate(nx);
            be.pool2dBackward(g, x, y, buf(be, r), dx);
            assertClose(kind + " pool dx (2,2,5,4)", numeric(x, nx, loss), get(be, dx, nx), ATOL, RTOL);
        }
    }
}
