package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Finite-difference gradient checks in double precision on the reference backend. For an op f
 * with outputs o_k, the scalar L = sum_k sum(o_k * W_k) with random weights W_k is differentiated
 * two ways: by the tape (the op's backward, seeded through mul and sum) and by central
 * differences (L(x + h e_j) - L(x - h e_j)) / 2h on the host, for every element of every input that
 * requires a gradient. The reference backend stores doubles, so with h = 1e-6 the truncation error
 * (~h^2) and the round-off (~1e-16 / h) both stay far below the tolerance
 * |analytic - numeric| <= 1e-6 + 1e-5 * |numeric|.
 */
final class GradCheck {
    static final double H = 1e-6, ATOL = 1e-6, RTOL = 1e-5;

    /** The op under test: inputs in, outputs out (every output enters the checked scalar). */
    @FunctionalInterface
    interface Op {
        List<Tensor> apply(List<Tensor> inputs);
    }

    private final JavaBackend be;
    private final SplittableRandom rng;

    GradCheck(JavaBackend be, long seed) {
        this.be = be;
        this.rng = new SplittableRandom(seed);
    }

    /** A differentiable input with values uniform in [lo, hi). */
    Tensor uniform(double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(be, shape).requireGrad();
        double[] v = new double[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        be.writeDoubles(v, t.data(), 0);
        return t;
    }

    /** Uniform in [-1, 1). */
    Tensor input(int... shape) {
        return uniform(-1, 1, shape);
    }

    /** Values of magnitude in [0.1, 1) with random signs: away from the kink of relu. */
    Tensor awayFromZero(int... shape) {
        Tensor t = Tensor.zeros(be, shape).requireGrad();
        double[] v = new double[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (0.1 + 0.9 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
        be.writeDoubles(v, t.data(), 0);
        return t;
    }

    /** A shuffled grid 0.01 apart: every window has one clear maximum, far beyond h. */
    Tensor distinct(int... shape) {
        Tensor t = Tensor.zeros(be, shape).requireGrad();
        double[] v = new double[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = 0.01 * i - 0.005 * v.length;
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double s = v[i]; v[i] = v[j]; v[j] = s;
        }
        be.writeDoubles(v, t.data(), 0);
        return t;
    }

    /** A constant (no gradient wanted). */
    Tensor constant(double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(be, shape);
        double[] v = new double[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        be.writeDoubles(v, t.data(), 0);
        return t;
    }

    /** int32 values in [0, bound). */
    Tensor ints(int bound, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextInt(bound);
        return Tensor.ints(be, v, shape);
    }

    /** Checks d L / d x for every input that requires a gradient; fails listing the first mismatches. */
    void check(String name, List<Tensor> inputs, Op op) {
        // output shapes and the random weights of L
        List<double[]> weights = new ArrayList<>();
        List<int[]> outShapes = new ArrayList<>();
        try (Scope s = Scope.open()) {
            for (Tensor o : op.apply(inputs)) {
                outShapes.add(o.shape());
                double[] w = new double[(int) o.size()];
                for (int i = 0; i < w.length; i++) w[i] = 2 * rng.nextDouble() - 1;
                weights.add(w);
            }
            Tape.current().clear();
        }
        List<double[]> analytic = analytic(inputs, op, weights, outShapes);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (int t = 0; t < inputs.size(); t++) {
            Tensor x = inputs.get(t);
            if (!x.requiresGrad()) continue;
            double[] v = new double[(int) x.size()];
            be.readDoubles(x.data(), 0, v);
            for (int j = 0; j < v.length; j++) {
                double orig = v[j];
                be.writeDoubles(new double[] {orig + H}, x.data(), j);
                double plus = loss(inputs, op, weights);
                be.writeDoubles(new double[] {orig - H}, x.data(), j);
                double minus = loss(inputs, op, weights);
                be.writeDoubles(new double[] {orig}, x.data(), j);
                double numeric = (plus - minus) / (2 * H), got = analytic.get(t)[j];
                checked++;
                if (!(Math.abs(got - numeric) <= ATOL + RTOL * Math.abs(numeric)))
                    mismatches.add("input " + t + " " + Arrays.toString(x.shape()) + " [" + j + "]: analytic " + got
                            + ", numeric " + numeric);
            }
        }
        if (checked == 0) fail(name + ": no input requires a gradient, nothing was checked");
        if (!mismatches.isEmpty())
            fail(name + ": " + mismatches.size() + " of " + checked + " gradient entries differ (atol " + ATOL
                    + ", rtol " + RTOL + "), first: " + String.join("; ", mismatches.subList(0, Math.min(5, mismatches.size()))));
    }

    /** The tape's gradients of L, one array per input (null for inputs without a gradient). */
    private List<double[]> analytic(List<Tensor> inputs, Op op, List<double[]> weights, List<int[]> outShapes) {
        for (Tensor x : inputs) if (x.requiresGrad()) x.zeroGrad();
        try (Scope s = Scope.open()) {
            List<Tensor> outs = op.apply(inputs);
            Tensor l = null;
            for (int k = 0; k < outs.size(); k++) {
                if (!Arrays.equals(outs.get(k).shape(), outShapes.get(k)))
                    fail("output " + k + " changed shape between runs: " + Arrays.toString(outs.get(k).shape()));
                Tensor w = Tensor.zeros(be, outShapes.get(k));
                be.writeDoubles(weights.get(k), w.data(), 0);
                Tensor term = Reductions.sum(Arithmetic.mul(outs.get(k), w));
                l = l == null ? term : Arithmetic.add(l, term);
            }
            l.backward();
        }
        List<double[]> grads = new ArrayList<>();
        for (Tensor x : inputs) {
            if (!x.requiresGrad()) {
                grads.add(null);
                continue;
            }
            double[] g = new double[(int) x.size()];
            if (x.gradOrNull() != null) be.readDoubles(x.gradOrNull(), 0, g);
            grads.add(g);
        }
        return grads;
    }

    /** L evaluated on the host from the op's outputs, in double. */
    private double loss(List<Tensor> inputs, Op op, List<double[]> weights) {
        double l = 0;
        // grad mode stays on (dropout is identity without it); the recorded steps are dropped
        try (Scope s = Scope.open()) {
            List<Tensor> outs = op.apply(inputs);
            for (int k = 0; k < outs.size(); k++) {
                double[] o = new double[(int) outs.get(k).size()];
                be.readDoubles(outs.get(k).data(), 0, o);
                for (int i = 0; i < o.length; i++) l += o[i] * weights.get(k)[i];
            }
            Tape.current().clear();
        }
        return l;
    }
}
