package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Arithmetic;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.MatMul;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DropoutHash;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nn.Dropout;
import org.nasengine.nn.Embedding;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.LstmCell;
import org.nasengine.nn.Module;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tensor;

/**
 * The plain LSTM baseline beside {@link RnnLanguageModel} (the {@code lstm} architecture form):
 * the same embedding (size = hidden), two layers unless told otherwise, dropout on every
 * non-recurrent connection (after the embedding, between the layers, before the softmax, with the
 * same seeds) and linear softmax, but each layer an ordinary LSTM ({@link LstmCell}) instead of a
 * searched cell. Every weight and bias drawn from U(-initRange, initRange), as in Zaremba et al.
 */
public final class LstmLanguageModel extends Module implements LanguageModel {
    /** Layers of the baseline beside {@link RnnLanguageModel}; the {@code lstm} architecture form may say otherwise. */
    public static final int LAYERS = RnnLanguageModel.LAYERS;

    public record Output(Tensor logits, List<State> state) implements LanguageModel.Output {}

    private final int layerCount, vocab, hidden;
    private final Embedding embedding;
    private final List<LstmCell> layers = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>(); // after the embedding, after each layer
    private final Linear softmax;

    /**
     * @param dropout rate in [0, 1) on the non-recurrent connections
     * @param initRange every weight and bias drawn from U(-initRange, initRange)
     */
    public LstmLanguageModel(int vocab, int hidden, float dropout, float initRange, Backend backend, long seed) {
        this(LAYERS, vocab, hidden, dropout, initRange, backend, seed);
    }

    /** The same with {@code layers} LSTM layers (dropout after the embedding, after each layer). */
    public LstmLanguageModel(int layers, int vocab, int hidden, float dropout, float initRange, Backend backend, long seed) {
        if (layers <= 0) throw new IllegalArgumentException("layers (" + layers + ") must be > 0");
        if (vocab <= 0) throw new IllegalArgumentException("vocab (" + vocab + ") must be > 0");
        if (hidden <= 0) throw new IllegalArgumentException("hidden (" + hidden + ") must be > 0");
        if (!(initRange > 0)) throw new IllegalArgumentException("initRange (" + initRange + ") must be > 0");
        this.layerCount = layers;
        this.vocab = vocab;
        this.hidden = hidden;
        RandomGenerator rng = Init.rng(seed);
        embedding = registerChild("embedding", new Embedding(backend, rng, vocab, hidden, initRange));
        for (int l = 0; l < layers; l++) this.layers.add(registerChild("layers." + l, new LstmCell(backend, rng, hidden, hidden, initRange)));
        for (int d = 0; d <= layers; d++) dropouts.add(registerChild("dropout" + d, new Dropout(dropout, DropoutHash.splitmix64(seed + 1 + d))));
        softmax = registerChild("softmax", new Linear(backend, rng, hidden, vocab, true, initRange));
    }

    @Override
    public Output forward(Tensor ids, List<State> state) {
        if (ids.rank() != 2 || ids.dtype() != DType.INT32)
            throw new IllegalArgumentException("lstm language model: ids must be int32 (N, T), got " + ids);
        if (state.size() != layerCount)
            throw new IllegalArgumentException("lstm language model: " + state.size() + " states for " + layerCount + " layers");
        int n = ids.dim(0), steps = ids.dim(1);
        Tensor x = embedding.forward(ids).reshape(n * steps, hidden); // (N*T, H)
        List<State> next = new ArrayList<>(layerCount);
        for (int l = 0; l < layerCount; l++) {
            RnnCellNetwork.Sequence seq = run(layers.get(l), dropouts.get(l).forward(x), n, steps, state.get(l));
            next.add(seq.last());
            x = seq.outputs(); // (N*T, H)
        }
        return new Output(softmax.forward(dropouts.get(layerCount).forward(x)), next); // (N*T, vocab)
    }

    /**
     * One layer over T steps, as {@link LstmCell#forward} computes each step, but with the input
     * projection x Wx^T + b done as one matmul for all steps (the trick RnnCellNetwork uses, so
     * that the baseline is not handicapped by T small matmuls). x (N*T, H) rows in (n, t) order.
     */
    private RnnCellNetwork.Sequence run(LstmCell cell, Tensor x, int n, int steps, State initial) {
        int width = 4 * hidden;
        List<Tensor> outputs = new ArrayList<>(steps);
        List<Tensor> perStep = Join.splitColumns(MatMul.linear(x, cell.wx(), cell.bias()).reshape(n, steps * width), steps); // T x (N, 4H)
        Tensor h = initial.h(), c = initial.c();
        for (int t = 0; t < steps; t++) {
            Tensor wx = perStep.get(t); // (N, 4H)
            Tensor gates = Arithmetic.add(wx, MatMul.linear(h, cell.wh(), null));         // (N, 4H) [i | f | g | o]
            org.nasengine.autograd.LstmCell.State s = org.nasengine.autograd.LstmCell.step(gates, c);
            h = s.h();
            c = s.c();
            outputs.add(h);
        }
        Tensor hs = Join.concatFeatures(outputs).reshape(n * steps, hidden); // (N, T*H) -> (N*T, H)
        return new RnnCellNetwork.Sequence(hs, new State(h, c));
    }

    @Override
    public List<State> zeroState(int n) {
        Backend be = softmax.weight().backend();
        List<State> s = new ArrayList<>(layerCount);
        for (int l = 0; l < layerCount; l++) s.add(new State(Tensor.zeros(be, n, hidden), Tensor.zeros(be, n, hidden)));
        return s;
    }

    /** Embedding V*H, per layer Wx 4H*H, Wh 4H*H and b 4H, softmax H*V + V: 16H^2 + (2V + 8)H + V for two layers. */
    public static long parameterCount(int vocab, int hidden) {
        return parameterCount(LAYERS, vocab, hidden);
    }

    public static long parameterCount(int layers, int vocab, int hidden) {
        long h = hidden, v = vocab;
        return v * h + layers * (4 * h * h + 4 * h * h + 4 * h) + h * v + v;
    }

    /**
     * The hidden size whose {@link #parameterCount} is nearest to {@code params} (the smaller on a
     * tie), e.g. to match a searched-cell model of a given size.
     */
    public static int hiddenForParams(int vocab, long params) {
        if (vocab <= 0) throw new IllegalArgumentException("vocab (" + vocab + ") must be > 0");
        long smallest = parameterCount(vocab, 1);
        if (params < smallest)
            throw new IllegalArgumentException("parameter count (" + params + ") is below the smallest LSTM model ("
                    + smallest + " parameters at hidden size 1 for vocab " + vocab + ")");
        double a = 8.0 * LAYERS, b = 2.0 * vocab + 4.0 * LAYERS, c = vocab - (double) params;
        int low = Math.max(1, (int) Math.floor((-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a)));
        // the root in double can be off by one for large counts: settle on the integers around it
        while (low > 1 && parameterCount(vocab, low) > params) low--;
        while (parameterCount(vocab, low + 1) <= params) low++;
        long under = params - parameterCount(vocab, low), over = parameterCount(vocab, low + 1) - params;
        return over < under ? low + 1 : low;
    }

    @Override public int vocab() { return vocab; }
    @Override public int hidden() { return hidden; }

    @Override
    public Module module() { return this; }
    public int layers() { return layerCount; }
    public LstmCell layer(int l) { return layers.get(l); }
    public Embedding embedding() { return embedding; }
    public Linear softmax() { return softmax; }
}
