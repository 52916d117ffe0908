package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zoph and Le's layer-by-layer CNN: per layer filter height, width, count, optionally stride, then
 * the anchor point choosing which earlier layers feed it.
 */
public record MacroCnnSpace(int layers, int[] kernelSizes, int[] filterCounts, int[] strides) implements DecisionSpace {

    public static final int[] KERNELS = {1, 3, 5, 7};
    public static final int[] FILTERS = {24, 36, 48, 64};

    public MacroCnnSpace {
        if (layers < 1) throw new IllegalArgumentException("layers (" + layers + ") must be >= 1");
        if (kernelSizes.length == 0 || filterCounts.length == 0 || strides.length == 0)
            throw new IllegalArgumentException("kernel, filter and stride choices must not be empty");
    }

    @Override public String space() { return "macro-cnn"; }

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

    @Override
    public ObjectNode decode(int[] tokens) {
        if (tokens.length != tokenCount())
            throw new IllegalArgumentException("macro-cnn of " + layers + " layers needs " + tokenCount()
                    + " tokens, got " + tokens.length);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode().put("space", "macro-cnn");
        ArrayNode layerNodes = root.putArray("layers");
        int t = 0;
        for (int i = 0; i < layers; i++) {
            ObjectNode layer = layerNodes.addObject();
            layer.put("kh", kernelSizes[tokens[t++]]);
            layer.put("kw", kernelSizes[tokens[t++]]);
            layer.put("filters", filterCounts[tokens[t++]]);
            layer.put("stride", strides.length > 1 ? strides[tokens[t++]] : strides[0]);
            ArrayNode inputs = layer.putArray("inputs");
            for (int j = 0; j < i; j++) if (tokens[t++] == 1) inputs.add(j);
        }
        return root;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacroCnnSpace s && s.layers == layers && Arrays.equals(s.kernelSizes, kernelSizes)
                && Arrays.equals(s.filterCounts, filterCounts) && Arrays.equals(s.strides, strides);
    }

    @Override
    public int hashCode() {
        return layers * 31 + Arrays.hashCode(kernelSizes) * 7 + Arrays.hashCode(filterCounts) + Arrays.hashCode(strides);
    }
}
