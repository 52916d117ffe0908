package org.nasengine.nas.space;

import java.util.List;

/**
 * ENAS' macro space (Pham et al. 2018) on our macro-cnn form: every layer after the first reads the
 * layer before it, and the controller chooses only the extra (skip) inputs, besides each layer's
 * kernel, filters and stride. Zoph and Le's space lets a layer read any subset of the earlier ones,
 * the image when none: a child whose late layers read the image is shallow, and through shared
 * weights such children look best long before they are (they train fastest), so a weight-sharing
 * search on the free space picks them. The chain's anchor bit is forced to 1 (the controller gives
 * a forced token probability 1, see {@link DecisionSpace#allows}).
 */
public record ChainedMacroSpace(MacroCnnSpace inner) implements DecisionSpace {

    @Override public String space() { return inner.space(); }

    @Override public List<Decision> decisions() { return inner.decisions(); }

    @Override
    public MacroCnn decode(int[] tokens) {
        MacroCnn m = inner.decode(tokens);
        for (int i = 1; i < m.size(); i++)
            if (!m.layer(i).inputs().contains(i - 1))
                throw new IllegalArgumentException("layer " + i + " must read layer " + (i - 1) + " in ENAS' macro space, inputs "
                        + m.layer(i).inputs());
        return m;
    }

    @Override public int[] encode(Architecture arch) { return inner.encode(arch); }

    @Override
    public boolean allows(int[] tokens, int position, int choice) {
        return !isChainBit(position) || choice == 1;
    }

    /** The cheapest tokens of the space: the inner space's, with every chain bit set. */
    public int[] cheapestTokens() {
        int[] t = inner.cheapestTokens();
        for (int i = 1; i < inner.layers(); i++) t[chainBit(i)] = 1;
        return t;
    }

    private boolean isChainBit(int position) {
        for (int i = 1; i < inner.layers(); i++) if (position == chainBit(i)) return true;
        return false;
    }

    /** Position of layer i's anchor bit for layer i - 1. */
    private int chainBit(int i) {
        return inner.layerStart(i) + inner.choicesPerLayer() + i - 1;
    }
}
