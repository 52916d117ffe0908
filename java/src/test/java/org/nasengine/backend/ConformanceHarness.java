package org.nasengine.backend;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.nasengine.backend.ref.JavaBackend;

/**
 * Plumbing of the backend conformance suite: a candidate backend and the reference
 * {@link JavaBackend} side by side, buffer twins holding the same values on both, and the
 * tolerance comparison |c - r| <= atol + rtol*|r| that lists the first mismatches with index and
 * shape. Every test draws fresh random inputs from a seed printed when the test fails; rerun
 * with -Dconformance.seed=N to repeat it.
 */
public abstract class ConformanceHarness {
    /** Elementwise float32 functions (libm or vector-libm, a few ulp). */
    protected static final double EW_ATOL = 1e-6, EW_RTOL = 1e-5;
    /** Sums of hundreds to thousands of float32 products (gemm, conv, batch norm). */
    protected static final double SUM_ATOL = 1e-4, SUM_RTOL = 1e-4;

    protected Backend ref;
    protected Backend cand;
    protected Random rnd;
    protected long seed;
    private final List<Twin> twins = new ArrayList<>();

    /** The backend under test; call Assumptions.assumeTrue(available, reason) first when it may be missing. */
    protected abstract Backend candidate();

    @RegisterExtension
    final TestWatcher seedReporter = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println(context.getDisplayName() + " failed with seed " + seed
                    + " (repeat with -Dconformance.seed=" + seed + ")");
        }
    };

    @BeforeEach
    void openBackends() {
        seed = Long.getLong("conformance.seed", System.nanoTime());
        rnd = new Random(seed);
        cand = candidate();
        ref = new JavaBackend();
    }

    @AfterEach
    void closeBackends() {
        if (cand == null) return;
        for (Twin t : twins) {
            ref.release(t.r());
            cand.release(t.c());
        }
        twins.clear();
        cand.close();
        ref.close();
    }

    /** One logical buffer on both backends. */
    protected record Twin(Buffer r, Buffer c, long length) {}

    protected Twin twin(float[] values) {
        Twin t = new Twin(ref.allocate(values.length), cand.allocate(values.length), values.length);
        ref.write(values, t.r(), 0);
        cand.write(values, t.c(), 0);
        twins.add(t);
        return t;
    }

    protected Twin random(long n) {
        return random(n, -1f, 1f);
    }

    /** Uniform in [lo, hi). */
    protected Twin random(long n, float lo, float hi) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rnd.nextFloat();
        return twin(v);
    }

    /** NaN everywhere: an op that overwrites must write every element it owns. */
    protected Twin poisoned(long n) {
        float[] v = new float[Math.toIntExact(n)];
        java.util.Arrays.fill(v, Float.NaN);
        return twin(v);
    }

    protected Twin ints(int[] values) {
        Twin t = new Twin(ref.allocate(values.length), cand.allocate(values.length), values.length);
        ref.writeInts(values, t.r(), 0);
        cand.writeInts(values, t.c(), 0);
        twins.add(t);
        return t;
    }

    protected static Buffer r(Twin t) {
        return t == null ? null : t.r();
    }

    protected static Buffer c(Twin t) {
        return t == null ? null : t.c();
    }

    /** Both sides of the first {@code n} elements agree within atol + rtol*|ref|. */
    protected void assertClose(String what, String shape, Twin t, long n, double atol, double rtol) {
        float[] expected = new float[Math.toIntExact(n)], actual = new float[expected.length];
        ref.read(t.r(), 0, expected);
        cand.read(t.c(), 0, actual);
        assertClose(what, shape, expected, actual, atol, rtol);
    }

    protected void assertClose(String what, String shape, float[] expected, float[] actual, double atol, double rtol) {
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            double r = expected[i], a = actual[i];
            boolean ok = Math.abs(a - r) <= atol + rtol * Math.abs(r) || (Double.isNaN(r) && Double.isNaN(a))
                    || (Double.isInfinite(r) && r == a);
            if (!ok) {
                if (bad < 5) sb.append("\n  [").append(i).append("] ").append(cand.name()).append(' ').append(a)
                        .append(", reference ").append(r);
                bad++;
            }
        }
        if (bad > 0)
            fail(what + " " + shape + ": " + bad + " of " + expected.length + " elements differ (atol " + atol
                    + ", rtol " + rtol + ", seed " + seed + ")" + sb);
    }

    protected void assertCloseScalar(String what, double expected, double actual, double atol, double rtol) {
        if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected)))
            fail(what + ": " + cand.name() + " " + actual + ", reference " + expected + " (seed " + seed + ")");
    }

    protected int between(int lo, int hiInclusive) {
        return lo + rnd.nextInt(hiInclusive - lo + 1);
    }
}
