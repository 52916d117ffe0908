package org.nasengine.autograd;

import org.nasengine.backend.Backend;
import org.nasengine.backend.DropoutHash;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Inverted dropout: x * mask with mask[i] = 1/keep or 0 drawn by {@link DropoutHash}, so the same
 * seed gives the same mask on every backend. Identity (the input itself) in evaluation, in
 * no-grad mode and at keep = 1.
 */
public final class Dropout {
    private Dropout() {}

    /** @param keep probability of keeping a value, in (0, 1] */
    public static Tensor dropout(Tensor x, float keep, long seed, boolean training) {
        if (!(keep > 0f && keep <= 1f)) throw new IllegalArgumentException("dropout: keep (" + keep + ") must be in (0, 1]");
        if (!training || !Tape.gradEnabled() || keep == 1f) return x;
        Backend be = x.backend();
        Tensor mask = Tensor.output(be, false, x.shape());
        be.dropoutMask(x.size(), keep, seed, mask.data());
        return Arithmetic.mul(x, mask);
    }
}
