package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.fail;

import org.nasengine.backend.Buffer;

/** Test helpers for the reference backend: double buffers in and out, and tolerance comparison. */
final class RefFixture {
    private RefFixture() {}

    /** A fresh buffer holding exactly these values (written in double, no float rounding). */
    static Buffer buf(JavaBackend be, double... values) {
        Buffer b = be.allocate(values.length);
        be.writeDoubles(values, b, 0);
        return b;
    }

    static Buffer ints(JavaBackend be, int... values) {
        Buffer b = be.allocate(values.length);
        be.writeInts(values, b, 0);
        return b;
    }

    static double[] get(JavaBackend be, Buffer b, int n) {
        double[] out = new double[n];
        be.readDoubles(b, 0, out);
        return out;
    }

    /** 1, 2, ..., n. */
    static double[] iota(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i + 1;
        return v;
    }

    /** |a - r| <= atol + rtol*|r| elementwise; on failure lists the first mismatches with index and shape. */
    static void assertClose(String what, double[] expected, double[] actual, double atol, double rtol) {
        if (expected.length != actual.length)
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            double r = expected[i], a = actual[i];
            // written so that a NaN on either side is a mismatch
            if (!(Math.abs(a - r) <= atol + rtol * Math.abs(r))) {
                if (bad < 5) sb.append("\n  [").append(i).append("] got ").append(a).append(", expected ").append(r);
                bad++;
            }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + expected.length + " mismatches (atol " + atol + ", rtol " + rtol + ")" + sb);
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        assertClose(what, expected, actual, 1e-12, 1e-12);
    }
}
