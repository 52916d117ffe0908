package org.nasengine.nn;

import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.tensor.Tensor;

/** A table of learned vectors looked up by int32 token ids; U(-a, a) init. */
public final class Embedding extends Module {
    private final Tensor table; // (vocab, dim)

    public Embedding(Backend backend, RandomGenerator rng, int vocab, int dim, float a) {
        Conv2d.requirePositive("vocab", vocab);
        Conv2d.requirePositive("dim", dim);
        table = registerParameter("weight", Tensor.parameter(backend, Init.uniform(rng, a, vocab * dim), vocab, dim));
    }

    /** ids int32 of shape S -> (S..., dim). */
    public Tensor forward(Tensor ids) {
        return org.nasengine.autograd.Embedding.lookup(table, ids);
    }

    public Tensor table() { return table; }
}
