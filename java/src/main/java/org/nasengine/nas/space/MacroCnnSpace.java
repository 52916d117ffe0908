package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zoph and Le's layer-by-layer CNN: per layer filter height, width, count, optionally stride, then
 * the anchor point choosing which earlier layers feed it. Layer i's tokens do not depend on the
 * layer count, so a deeper space extends a shallower one's tokens (the prefix contract).
 *
 * <p>{@code chained}: the previous layer always feeds the next (its anchor bit is forced to 1, so a
 * layer never falls back to reading the raw image) and the anchors choose the extra skip
 * connections, as in ENAS's macro space. The paper's space is unchained: a layer whose anchors
 * are all 0 reads the image, which makes most uniformly sampled networks shallow and poor.
 */
public record MacroCnnSpace(int layers, int[] kernelSizes, int[] filterCounts, int[] strides, boolean chained) implements DecisionSpace {

    public static final int[] KERNELS = {1, 3, 5, 7};
    public static final int[] FILTERS = {24, 36, 48, 64};

    /** The paper's (unchained) space. */
    public MacroCnnSpace(int layers, int[] kernelSizes, int[] filterCounts, int[] strides) {
        this(layers, kernelSizes, filterCounts, strides, false);
    }

    public MacroCnnSpace {
        if (layers < 1) throw new IllegalArgumentException("layers (" + layers + ") must be >= 1");
        if (kernelSizes.length == 0 || filterCounts.length == 0 || strides.length == 0)
            throw new IllegalArgumentException("kernel, filter and stride choices must not be empty");
        kernelSizes = kernelSizes.clone();
        filterCounts = filterCounts.clone();
        strides = strides.clone();
    }

    @Override public String space() { return MacroCnn.SPACE; }

    /** Tokens of one layer block before its anchors: kh, kw, filters and, when there is a choice, stride. */
    public int choicesPerLayer() {
        return strides.length > 1 ? 4 : 3;
    }

    /** Position of layer {@code i}'s first token. */
    public int layerStart(int i) {
        return i * choicesPerLayer() + i * (i - 1) / 2;
    }

    @Override
    public List<Decision> decisions() {
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            out.add(new Decision.Choice("kh", kernelSizes.length));
            out.add(new Decision.Choice("kw", kernelSizes.length));
            out.add(new Decision.Choice("filters", filterCounts.length));
            if (strides.length > 1) out.add(new Decision.Choice("stride", strides.length));
            out.add(new Decision.Anchors(i));
        }
        return out;
    }

    /** In a chained space the bit of layer i's anchor that names layer i - 1 must be 1. */
    @Override
    public boolean allows(int[] tokens, int position, int choice) {
        if (!chained || choice == 1) return true;
        return !isChainBit(position);
    }

    private boolean isChainBit(int position) {
        for (int i = 1; i < layers; i++) {
            int anchors = layerStart(i) + choicesPerLayer();
            if (position == anchors + i - 1) return true;
            if (position < anchors) return false;
        }
        return false;
    }

    @Override
    public MacroCnn decode(int[] tokens) {
        check(tokens);
        List<MacroCnn.Layer> out = new ArrayList<>(layers);
        int t = 0;
        for (int i = 0; i < layers; i++) {
            int kh = kernelSizes[tokens[t++]], kw = kernelSizes[tokens[t++]], filters = filterCounts[tokens[t++]];
            int stride = strides.length > 1 ? strides[tokens[t++]] : strides[0];
            List<Integer> inputs = new ArrayList<>();
            for (int j = 0; j < i; j++) if (tokens[t++] == 1) inputs.add(j);
            out.add(new MacroCnn.Layer(kh, kw, filters, stride, inputs));
        }
        return new MacroCnn(out);
    }

    @Override
    public int[] encode(Architecture arch) {
        if (!(arch instanceof MacroCnn m) || m.size() != layers)
            throw new IllegalArgumentException("not a " + layers + "-layer macro-cnn: " + arch.key());
        int[] tokens = new int[tokenCount()];
        int t = 0;
        for (int i = 0; i < layers; i++) {
            MacroCnn.Layer l = m.layer(i);
            tokens[t++] = indexOf(kernelSizes, l.kh(), "kh");
            tokens[t++] = indexOf(kernelSizes, l.kw(), "kw");
            tokens[t++] = indexOf(filterCounts, l.filters(), "filters");
            if (strides.length > 1) tokens[t++] = indexOf(strides, l.stride(), "stride");
            else indexOf(strides, l.stride(), "stride");
            if (chained && i > 0 && !l.inputs().contains(i - 1))
                throw new IllegalArgumentException("layer " + i + " does not read layer " + (i - 1) + ": not in a chained space");
            for (int j = 0; j < i; j++) tokens[t++] = l.inputs().contains(j) ? 1 : 0;
        }
        return tokens;
    }

    /**
     * Per token the choice that makes a network cheapest: the smallest kernel and filter count,
     * the largest stride (a smaller output for every later layer) and no skip inputs (a layer
     * without inputs reads the image, of few channels). The witness of {@link BudgetedSpace}.
     */
    public int[] cheapestTokens() {
        int[] tokens = new int[tokenCount()];
        int t = 0;
        for (int i = 0; i < layers; i++) {
            tokens[t++] = argmin(kernelSizes);
            tokens[t++] = argmin(kernelSizes);
            tokens[t++] = argmin(filterCounts);
            if (strides.length > 1) tokens[t++] = argmax(strides);
            if (chained && i > 0) tokens[t + i - 1] = 1; // the chain; other anchors stay 0
            t += i;
        }
        return tokens;
    }

    private static int argmin(int[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) if (values[k] < values[best]) best = k;
        return best;
    }

    private static int argmax(int[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    static int indexOf(int[] choices, int value, String what) {
        for (int k = 0; k < choices.length; k++) if (choices[k] == value) return k;
        throw new IllegalArgumentException(what + " " + value + " is not one of the space's choices " + Arrays.toString(choices));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacroCnnSpace s && s.layers == layers && Arrays.equals(s.kernelSizes, kernelSizes)
                && Arrays.equals(s.filterCounts, filterCounts) && Arrays.equals(s.strides, strides) && s.chained == chained;
    }

    @Override
    public int hashCode() {
        return layers * 31 + Arrays.hashCode(kernelSizes) * 7 + Arrays.hashCode(filterCounts) + Arrays.hashCode(strides)
                + (chained ? 1 : 0);
    }

    @Override
    public String toString() {
        return "MacroCnnSpace(" + layers + " layers, kernels " + Arrays.toString(kernelSizes) + ", filters "
                + Arrays.toString(filterCounts) + ", strides " + Arrays.toString(strides) + (chained ? ", chained" : "") + ")";
    }
}
