package org.nasengine.nas.controller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.autograd.LstmCell.State;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Decision;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nn.Embedding;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.LstmCell;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Tensor;

/**
 * Zoph and Le's controller: a stacked LSTM that emits an architecture token by token. Each
 * categorical decision is a softmax of a head shared by decisions of the same kind, and the
 * sampled token's embedding is the next input. At the anchor point of macro layer N the LSTM runs
 * once more and, for each earlier layer j, sigmoid(v^T tanh(W_prev h_j + W_curr h_N)) decides
 * whether j feeds N; the mean of the chosen layers' states is the next input (as in ENAS). Choices
 * the space does not allow (a cost budget) are masked out and the softmax renormalised over the
 * rest, so log-probabilities stay exact for REINFORCE. The same pass either samples (with an {@link Rng}) or replays given tokens,
 * returning the differentiable log-probability and entropy of the sequence.
 */
public final class Controller extends Module {
    private final Backend backend;
    private final int hidden;
    private final List<LstmCell> layers = new ArrayList<>();
    private final Map<String, Linear> heads = new LinkedHashMap<>();
    private final Map<String, Embedding> embeddings = new LinkedHashMap<>();
    private final Tensor start;       // (1, H) input of the first step
    private final Tensor afterAnchor; // (1, H) input after an anchor point
    private final Linear wPrev, wCurr, v;
    private final RandomGenerator init;
    private final float initRange;

    /** Log-probability and entropy (scalars (1)) of one token sequence, and the tokens. */
    public record Pass(int[] tokens, Tensor logProb, Tensor entropy) {}

    public Controller(Backend backend, List<DecisionSpace> spaces, int layerCount, int hidden, float initRange, long seed) {
        if (layerCount < 1 || hidden < 1)
            throw new IllegalArgumentException("controller layers (" + layerCount + ") and hidden (" + hidden + ") must be >= 1");
        this.backend = backend;
        this.hidden = hidden;
        this.initRange = initRange;
        this.init = Init.rng(seed);
        for (int i = 0; i < layerCount; i++) layers.add(registerChild(new LstmCell(backend, init, hidden, hidden, initRange)));
        start = registerParameter(Tensor.parameter(backend, Init.uniform(init, initRange, hidden), 1, hidden));
        afterAnchor = registerParameter(Tensor.parameter(backend, Init.uniform(init, initRange, hidden), 1, hidden));
        wPrev = registerChild(new Linear(backend, init, hidden, hidden, false, initRange));
        wCurr = registerChild(new Linear(backend, init, hidden, hidden, false, initRange));
        v = registerChild(new Linear(backend, init, hidden, 1, false, initRange));
        // heads for every kind any of the spaces uses, created up front so the parameter list is fixed
        for (DecisionSpace s : spaces)
            for (Decision d : s.decisions())
                if (d instanceof Decision.Choice c && !heads.containsKey(c.kind())) {
                    heads.put(c.kind(), registerChild(new Linear(backend, init, hidden, c.choices(), true, initRange)));
                    embeddings.put(c.kind(), registerChild(new Embedding(backend, init, c.choices(), hidden, initRange)));
                }
    }

    public int hidden() { return hidden; }

    /**
     * One pass over the space's decisions: samples from {@code rng} when {@code replay} is null,
     * otherwise scores the given tokens. Records on the tape when grad mode is on.
     */
    public Pass run(DecisionSpace space, int[] replay, Rng rng) {
        int[] tokens = new int[space.tokenCount()];
        List<State> states = new ArrayList<>();
        for (LstmCell l : layers) states.add(l.zeroState(1));
        List<Tensor> anchorKeys = new ArrayList<>(); // W_prev h_j of each earlier anchor, (1, H)
        List<Tensor> anchorStates = new ArrayList<>(); // h_j of each earlier anchor, (1, H)
        Tensor x = start;
        Tensor logProb = Tensor.zeros(backend, 1), entropy = Tensor.zeros(backend, 1);
        int t = 0;
        for (Decision d : space.decisions()) {
            Tensor h = step(x, states);
            switch (d) {
                case Decision.Choice c -> {
                    Linear head = heads.get(c.kind());
                    if (head == null) throw new IllegalArgumentException("controller has no head for decision kind '" + c.kind() + "'");
                    Tensor logits = head.forward(h);                 // (1, choices)
                    float[] mask = choiceMask(space, tokens, t, c);
                    if (mask != null) logits = logits.add(Tensor.of(backend, mask, 1, c.choices()));
                    Tensor logp = logits.logSoftmax();               // (1, choices), renormalised over allowed choices
                    int token = replay != null ? replay[t] : sampleCategorical(logp.toArray(), rng);
                    checkToken(c.kind(), token, c.choices());
                    if (mask != null && mask[token] != 0)
                        throw new IllegalArgumentException(c.kind() + " token " + token + " at " + t + " is not allowed by the space");
                    tokens[t++] = token;
                    Tensor ids = Tensor.ints(backend, new int[] {token}, 1);
                    logProb = logProb.sub(CrossEntropy.perRow(logits, ids));
                    entropy = entropy.sub(logp.exp().mul(logp).sum().reshape(1));
                    x = embeddings.get(c.kind()).forward(ids);      // (1, H)
                }
                case Decision.Anchors a -> {
                    Tensor query = wCurr.forward(h);                 // (1, H)
                    Tensor chosen = afterAnchor;                     // (1, H): sum of the chosen layers' anchor states
                    int count = 0;
                    for (int j = 0; j < a.layer(); j++) {
                        boolean yes = space.allows(tokens, t, 1), no = space.allows(tokens, t, 0);
                        if (!yes && !no) throw new IllegalStateException(space.space() + ": neither anchor bit allowed at token " + t);
                        int bit;
                        if (yes && no) {
                            Tensor z = v.forward(anchorKeys.get(j).add(query).tanh()).reshape(1); // (1)
                            bit = replay != null ? replay[t] : (rng.nextDouble() < sigmoid(z.item()) ? 1 : 0);
                            checkToken("anchor", bit, 2);
                            Tensor logYes = z.logSigmoid(), logNo = z.neg().logSigmoid();
                            logProb = logProb.add(bit == 1 ? logYes : logNo);
                            // Bernoulli entropy: -(p log p + (1-p) log(1-p))
                            entropy = entropy.sub(logYes.exp().mul(logYes).add(logNo.exp().mul(logNo)));
                        } else { // the budget forces this bit: probability 1, no log-probability or entropy
                            bit = yes ? 1 : 0;
                            if (replay != null && replay[t] != bit)
                                throw new IllegalArgumentException("anchor token " + replay[t] + " at " + t + " is not allowed by the space");
                        }
                        tokens[t++] = bit;
                        if (bit == 1) {
                            chosen = chosen.add(anchorStates.get(j));
                            count++;
                        }
                    }
                    anchorKeys.add(wPrev.forward(h));
                    anchorStates.add(h);
                    // the decisions are fed back (as ENAS does): the mean of the chosen layers' anchor states
                    x = count == 0 ? afterAnchor : chosen.scale(1f / (1 + count));
                }
            }
        }
        return new Pass(tokens, logProb, entropy);
    }

    /** Runs every LSTM layer once; returns the top layer's h (1, H). */
    private Tensor step(Tensor x, List<State> states) {
        Tensor in = x;
        for (int i = 0; i < layers.size(); i++) {
            State s = layers.get(i).forward(in, states.get(i));
            states.set(i, s);
            in = s.h();
        }
        return in;
    }

    /** Additive logit mask (0 allowed, -1e9 not) of a choice, or null when every choice is allowed. */
    private static float[] choiceMask(DecisionSpace space, int[] tokens, int t, Decision.Choice c) {
        float[] mask = null;
        int allowed = 0;
        for (int k = 0; k < c.choices(); k++) {
            if (space.allows(tokens, t, k)) {
                allowed++;
                continue;
            }
            if (mask == null) mask = new float[c.choices()];
            mask[k] = -1e9f; // finite, so p log p of a masked choice is 0 * -1e9 = 0, not NaN
        }
        if (allowed == 0)
            throw new IllegalStateException(space.space() + ": no " + c.kind() + " choice allowed at token " + t);
        return mask;
    }

    private static int sampleCategorical(float[] logp, Rng rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int k = 0; k < logp.length; k++) {
            acc += Math.exp(logp[k]);
            if (u < acc) return k;
        }
        return logp.length - 1; // rounding: the probabilities summed to just under 1
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static void checkToken(String kind, int token, int choices) {
        if (token < 0 || token >= choices)
            throw new IllegalArgumentException(kind + " token " + token + " is not in 0.." + (choices - 1));
    }

    @Override
    public String toString() {
        return "Controller(" + layers.size() + "x" + hidden + ", init U(-" + initRange + ", " + initRange + "), heads " + heads.keySet() + ")";
    }
}
