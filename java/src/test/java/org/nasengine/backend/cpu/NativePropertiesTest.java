package org.nasengine.backend.cpu;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.backend.ref.JavaBackend;

/**
 * Random small shapes, native against the reference: convolution (any stride, padding,
 * dilation, groups), pooling, the zero-pad join and the plain concat, forward and backward.
 * jqwik prints the failing (shrunk) shape; values come from a seed that is one of the parameters.
 */
@AddLifecycleHook(NativePropertiesTest.NativeRequired.class)
class NativePropertiesTest {

    /** Skips the whole class, with the reason, where libnasengine.so cannot load. */
    static final class NativeRequired implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return NativeBackend.isAvailable() ? SkipResult.doNotSkip()
                    : SkipResult.skip("native backend unavailable: " + NativeBackend.unavailableReason());
        }
    }

    @Property(tries = 50)
    void convMatchesReference(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 6) int cin,
                              @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
                              @ForAll @IntRange(min = 1, max = 6) int coutPerGroup,
                              @ForAll @IntRange(min = 1, max = 7) int kh, @ForAll @IntRange(min = 1, max = 7) int kw,
                              @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 3) int pad,
                              @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll boolean grouped, @ForAll long seed) {
        int groups = grouped ? cin : 1;   // grouped: depthwise when coutPerGroup is 1, a multiplier otherwise
        int cout = coutPerGroup * groups;
        // shrink the kernel until it fits the padded input (the geometry would reject it)
        int padW = Math.max(0, pad - 1);   // unequal paddings and (below) strides
        int fitH = Math.min(kh, (h + 2 * pad - 1) / dil + 1), fitW = Math.min(kw, (w + 2 * padW - 1) / dil + 1);
        ConvGeometry g = new ConvGeometry(n, cin, h, w, cout, fitH, fitW, stride, stride == 3 ? 2 : stride,
                pad, padW, dil, dil, groups);
        try (Pair p = new Pair(seed)) {
            Buffer[] x = p.random(g.inputLength()), wt = p.random(g.weightLength()), y = p.poisoned(g.outputLength());
            p.ref.conv2d(g, x[0], wt[0], y[0]);
            p.cand.conv2d(g, x[1], wt[1], y[1]);
            p.assertClose("conv2d y " + g, y, g.outputLength(), 1e-4, 1e-4);
            Buffer[] dy = p.random(g.outputLength()), dx = p.random(g.inputLength()), dw = p.random(g.weightLength());
            p.ref.conv2dBackward(g, x[0], wt[0], dy[0], dx[0], dw[0]);
            p.cand.conv2dBackward(g, x[1], wt[1], dy[1], dx[1], dw[1]);
            p.assertClose("conv2d dx " + g, dx, g.inputLength(), 1e-4, 1e-4);
            p.assertClose("conv2d dw " + g, dw, g.weightLength(), 1e-4, 1e-4);
        }
    }

    @Property(tries = 50)
    void poolMatchesReference(@ForAll boolean max, @ForAll @IntRange(min = 1, max = 3) int n,
                              @ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                              @ForAll @IntRange(min = 1, max = 12) int w, @ForAll @IntRange(min = 1, max = 7) int k,
                              @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 3) int pad,
                              @ForAll long seed) {
        int kh = Math.min(k, h + 2 * pad), kw = Math.min(k, w + 2 * pad);
        PoolGeometry g = new PoolGeometry(max ? PoolGeometry.Kind.MAX : PoolGeometry.Kind.AVG, n, c, h, w, kh, kw,
                stride, pad, pad);
        try (Pair p = new Pair(seed)) {
            Buffer[] x = p.random(g.inputLength()), y = p.poisoned(g.outputLength());
            p.ref.pool2d(g, x[0], y[0]);
            p.cand.pool2d(g, x[1], y[1]);
            p.assertClose("pool2d y " + g, y, g.outputLength(), 1e-6, 1e-5);
            Buffer[] dy = p.random(g.outputLength()), dx = p.random(g.inputLength());
            p.ref.pool2dBackward(g, x[0], y[0], dy[0], dx[0]);
            p.cand.pool2dBackward(g, x[1], y[1], dy[1], dx[1]);
            p.assertClose("pool2d dx " + g, dx, g.inputLength(), 1e-6, 1e-5);
        }
    }

    @Property(tries = 50)
    void padJoinMatchesReference(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int inputs,
                                 @ForAll @IntRange(min = 1, max = 9) int maxSize, @ForAll long seed) {
        Random shapes = new Random(seed);
        int[] c = new int[inputs], h = new int[inputs], w = new int[inputs];
        for (int i = 0; i < inputs; i++) {
            c[i] = 1 + shapes.nextInt(4);
            h[i] = 1 + shapes.nextInt(maxSize);
            w[i] = 1 + shapes.nextInt(maxSize);
        }
        checkJoin(JoinGeometry.of(n, c, h, w), seed);
    }

    @Property(tries = 50)
    void concatMatchesReference(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int inputs,
                                @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                @ForAll long seed) {
        Random shapes = new Random(seed);
        int[] c = new int[inputs], hs = new int[inputs], ws = new int[inputs];
        for (int i = 0; i < inputs; i++) {
            c[i] = 1 + shapes.nextInt(5);
            hs[i] = h;
            ws[i] = w;
        }
        checkJoin(JoinGeometry.of(n, c, hs, ws), seed);
    }

    private static void checkJoin(JoinGeometry j, long seed) {
        String shape = "join n=" + j.n() + " c=" + java.util.Arrays.toString(j.channels()) + " h="
                + java.util.Arrays.toString(j.heights()) + " w=" + java.util.Arrays.toString(j.widths());
        try (Pair p = new Pair(seed)) {
            Buffer[] inR = new Buffer[j.inputs()], inC = new Buffer[j.inputs()];
            Buffer[] dR = new Buffer[j.inputs()], dC = new Buffer[j.inputs()];
            Buffer[][] d = new Buffer[j.inputs()][];
            for (int k = 0; k < j.inputs(); k++) {
                Buffer[] in = p.random(j.inputLength(k));
                inR[k] = in[0];
                inC[k] = in[1];
                d[k] = p.random(j.inputLength(k));
                dR[k] = d[k][0];
                dC[k] = d[k][1];
            }
            Buffer[] out = p.poisoned(j.outputLength());
            p.ref.padConcat(j, inR, out[0]);
            p.cand.padConcat(j, inC, out[1]);
            p.assertClose(shape + " out", out, j.outputLength(), 0, 0);
            Buffer[] dOut = p.random(j.outputLength());
            p.ref.padConcatBackward(j, dOut[0], dR);
            p.cand.padConcatBackward(j, dOut[1], dC);
            for (int k = 0; k < j.inputs(); k++)
                p.assertClose(shape + " dInputs[" + k + "]", d[k], j.inputLength(k), 1e-6, 1e-6);
        }
    }

    /** Reference and native backends with buffers written the same values; [0] reference, [1] native. */
    private static final class Pair implements AutoCloseable {
        final Backend ref = new JavaBackend(), cand = new NativeBackend();
        final Random rnd;

        Pair(long seed) {
            rnd = new Random(seed);
        }

        Buffer[] random(long n) {
            float[] v = new float[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() * 2 - 1;
            return of(v);
        }

        Buffer[] poisoned(long n) {
            float[] v = new float[Math.toIntExact(n)];
            java.util.Arrays.fill(v, Float.NaN);
            return of(v);
        }

        private Buffer[] of(float[] v) {
            Buffer[] b = {ref.allocate(v.length), cand.allocate(v.length)};
            ref.write(v, b[0], 0);
            cand.write(v, b[1], 0);
            return b;
        }

        void assertClose(String what, Buffer[] b, long n, double atol, double rtol) {
            float[] want = new float[Math.toIntExact(n)], got = new float[want.length];
            ref.read(b[0], 0, want);
            cand.read(b[1], 0, got);
            StringBuilder sb = new StringBuilder();
            int bad = 0;
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) {
                    if (bad < 5) sb.append("\n  [").append(i).append("] cpu ").append(got[i]).append(", reference ").append(want[i]);
                    bad++;
                }
            }
            if (bad > 0) throw new AssertionError(what + ": " + bad + " of " + want.length + " elements differ" + sb);
        }

        /** Buffers still out are dropped with their backends (the native pool frees what was released). */
        @Override
        public void close() {
            cand.close();
            ref.close();
        }
    }
}
