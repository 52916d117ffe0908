package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * A new shape over the same row-major values. A tensor owns its buffer outright (closing it
 * returns the buffer to the pool), so the values are copied rather than shared.
 */
public final class Reshape {
    private Reshape() {}

    /** One dimension may be -1: it takes whatever the others leave. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] s = resolve(x, shape);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, s);
        be.copy(x.data(), 0, y.data(), 0, x.size());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null) Grads.accumulate(be, x.size(), dy, x.grad());
        });
        return y;
    }

    /** (N, ...) -> (N, product of the rest). */
    public static Tensor flatten(Tensor x) {
        return reshape(x, x.dim(0), -1);
    }

    static int[] resolve(Tensor x, int[] shape) {
        int[] s = shape.clone();
        int free = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (free >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(shape));
                free = i;
            } else if (s[i] <= 0) {
                throw new IllegalArgumentException("reshape: dimension " + i + " (" + s[i] + ") must be > 0 or -1");
            } else {
                known *= s[i];
            }
        }
        if (free >= 0 && known > 0 && x.size() % known == 0) s[free] = Math.toIntExact(x.size() / known);
        long total = 1;
        for (int d : s) total *= d;
        if (total != x.size() || (free >= 0 && s[free] <= 0))
            throw new IllegalArgumentException("reshape: " + Arrays.toString(x.shape()) + " (" + x.size()
                    + " values) cannot become " + Arrays.toString(shape));
        return s;
    }
}
