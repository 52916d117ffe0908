package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DropoutHash;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nn.Dropout;
import org.nasengine.nn.Embedding;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.Module;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tensor;

/**
 * The spec's language model around a searched cell: word embedding (size = hidden), two layers of
 * the cell, dropout, a linear softmax over the vocabulary. Dropout sits on every non-recurrent
 * connection (after the embedding, between the layers, before the softmax), as in the "medium"
 * baseline (Zaremba et al. 2014) whose parameter count sets the default hidden size.
 */
public final class RnnLanguageModel extends Module implements LanguageModel {
    public static final int LAYERS = 2;
    /** The "medium" baseline, two LSTM layers of 650 units, sets the default parameter budget. */
    public static final int MEDIUM_HIDDEN = 650;
    /** The "small" recipe the trainer follows (see LmTrainConfig): no dropout, weights drawn from U(-0.1, 0.1). */
    public static final float DEFAULT_DROPOUT = 0f;
    public static final float DEFAULT_INIT_RANGE = 0.1f;

    /** logits (N*T, vocab) with rows in (n, t) order; the state after the last step, one per layer. */
    public record Output(Tensor logits, List<State> state) implements LanguageModel.Output {}

    private final RnnCell cell;
    private final int vocab, hidden;
    private final Embedding embedding;
    private final List<RnnCellNetwork> layers = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>(); // after the embedding, after each layer
    private final Linear softmax;

    /**
     * @param dropout rate in [0, 1) on the non-recurrent connections
     * @param initRange every weight drawn from U(-initRange, initRange), then each cell leaf's W_i,
     *     b_i and U_i rescaled so that W_i x + b_i and U_i h have RMS 1 ({@link LeafScaling})
     */
    public RnnLanguageModel(RnnCell cell, int vocab, int hidden, float dropout, float initRange, Backend backend, long seed) {
        if (vocab <= 0) throw new IllegalArgumentException("vocab (" + vocab + ") must be > 0");
        if (hidden <= 0) throw new IllegalArgumentException("hidden (" + hidden + ") must be > 0");
        if (!(initRange > 0)) throw new IllegalArgumentException("initRange (" + initRange + ") must be > 0");
        this.cell = cell;
        this.vocab = vocab;
        this.hidden = hidden;
        RandomGenerator rng = Init.rng(seed);
        embedding = registerChild("embedding", new Embedding(backend, rng, vocab, hidden, initRange));
        for (int l = 0; l < LAYERS; l++) layers.add(registerChild("layers." + l, new RnnCellNetwork(cell, hidden, hidden, backend, rng, initRange)));
        for (int d = 0; d <= LAYERS; d++) dropouts.add(registerChild("dropout" + d, new Dropout(dropout, DropoutHash.splitmix64(seed + 1 + d))));
        softmax = registerChild("softmax", new Linear(backend, rng, hidden, vocab, true, initRange));
        LeafScaling.apply(embedding, layers, vocab, seed);
    }

    /** The spec's default: the hidden size whose parameter count matches the medium baseline's on this vocabulary. */
    public RnnLanguageModel(RnnCell cell, int vocab, Backend backend, long seed) {
        this(cell, vocab, hiddenForBudget(cell, vocab, mediumBudget(vocab)), DEFAULT_DROPOUT, DEFAULT_INIT_RANGE, backend, seed);
    }

    /** ids int32 (N, T) and one state per layer -> logits (N*T, vocab) and the state after step T. */
    @Override
    public Output forward(Tensor ids, List<State> state) {
        if (ids.rank() != 2 || ids.dtype() != DType.INT32)
            throw new IllegalArgumentException("language model: ids must be int32 (N, T), got " + ids);
        if (state.size() != LAYERS)
            throw new IllegalArgumentException("language model: " + state.size() + " states for " + LAYERS + " layers");
        int n = ids.dim(0), steps = ids.dim(1);
        Tensor x = embedding.forward(ids).reshape(n * steps, hidden); // (N*T, H)
        List<State> next = new ArrayList<>(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            RnnCellNetwork.Sequence seq = layers.get(l).forward(dropouts.get(l).forward(x), steps, state.get(l));
            next.add(seq.last());
            x = seq.outputs(); // (N*T, H)
        }
        return new Output(softmax.forward(dropouts.get(LAYERS).forward(x)), next); // (N*T, vocab)
    }

    /** Zero state for a batch of n, one per layer (scope-owned when a scope is open). */
    @Override
    public List<State> zeroState(int n) {
        List<State> s = new ArrayList<>(LAYERS);
        for (RnnCellNetwork layer : layers) s.add(layer.zeroState(n));
        return s;
    }

    /** Embedding V*H, per layer W, b and U of every leaf, softmax H*V + V. */
    public static long parameterCount(RnnCell cell, int vocab, int hidden) {
        return (long) vocab * hidden + LAYERS * RnnCellNetwork.parameterCount(cell.base(), hidden, hidden)
                + (long) hidden * vocab + vocab;
    }

    /**
     * The medium baseline's parameter count on this vocabulary: embedding, two LSTM layers of 650
     * units (4 gates, input and recurrent weights, one bias each), softmax with bias. 19,775,200
     * for 10,000 words.
     */
    public static long mediumBudget(int vocab) {
        long h = MEDIUM_HIDDEN;
        return vocab * h + LAYERS * (4 * h * (h + h) + 4 * h) + h * vocab + vocab;
    }

    /**
     * The hidden size whose {@link #parameterCount} is nearest to {@code params}: the count is
     * 4*base*H^2 + 2*(vocab + base)*H + vocab, solved for H and rounded to the nearer neighbour.
     */
    public static int hiddenForBudget(RnnCell cell, int vocab, long params) {
        if (vocab <= 0) throw new IllegalArgumentException("vocab (" + vocab + ") must be > 0");
        long smallest = parameterCount(cell, vocab, 1);
        if (params < smallest)
            throw new IllegalArgumentException("parameter budget (" + params + ") is below the smallest model (" + smallest
                    + " parameters at hidden size 1 for vocab " + vocab + ", base " + cell.base() + ")");
        double a = 4.0 * cell.base(), b = 2.0 * (vocab + cell.base()), c = vocab - (double) params;
        int low = Math.max(1, (int) Math.floor((-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a)));
        // the root in double can be off by one for large budgets: settle on the integers around it
        while (low > 1 && parameterCount(cell, vocab, low) > params) low--;
        while (parameterCount(cell, vocab, low + 1) <= params) low++;
        long under = params - parameterCount(cell, vocab, low), over = parameterCount(cell, vocab, low + 1) - params;
        return over < under ? low + 1 : low;
    }

    public RnnCell cell() { return cell; }
    @Override public int vocab() { return vocab; }
    @Override public int hidden() { return hidden; }

    @Override
    public Module module() { return this; }
    public RnnCellNetwork layer(int l) { return layers.get(l); }
    public Embedding embedding() { return embedding; }
    public Linear softmax() { return softmax; }
}
