package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.List;

/** A recurrent cell as a tree: per node combine and activation, the inject pair, then the inject and memory nodes. */
public record RnnCellSpace(int base) implements DecisionSpace {
    private static final RnnCell.Combine[] COMBINES = RnnCell.Combine.values();
    private static final RnnCell.Activation[] ACTIVATIONS = RnnCell.Activation.values();

    public RnnCellSpace {
        if (base < RnnCell.MIN_BASE || base > RnnCell.MAX_BASE)
            throw new IllegalArgumentException("base (" + base + ") must be " + RnnCell.MIN_BASE + ".." + RnnCell.MAX_BASE);
    }

    @Override public String space() { return RnnCell.SPACE; }

    private int nodes() { return 2 * base - 1; }

    @Override
    public List<Decision> decisions() {
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i <= nodes(); i++) { // the last pair is the inject's
            out.add(new Decision.Choice("combine", COMBINES.length));
            out.add(new Decision.Choice("activation", ACTIVATIONS.length));
        }
        out.add(new Decision.Choice("node", nodes()));
        out.add(new Decision.Choice("node", nodes()));
        return out;
    }

    @Override
    public RnnCell decode(int[] tokens) {
        check(tokens);
        List<RnnCell.Node> nodes = new ArrayList<>();
        int t = 0;
        for (int i = 0; i < nodes(); i++, t += 2) nodes.add(new RnnCell.Node(COMBINES[tokens[t]], ACTIVATIONS[tokens[t + 1]]));
        RnnCell.Node inject = new RnnCell.Node(COMBINES[tokens[t]], ACTIVATIONS[tokens[t + 1]]);
        return new RnnCell(base, nodes, inject, tokens[t + 2], tokens[t + 3]);
    }

    @Override
    public int[] encode(Architecture arch) {
        if (!(arch instanceof RnnCell r) || r.base() != base)
            throw new IllegalArgumentException("not an rnn-cell of base " + base + ": " + arch.key());
        int[] tokens = new int[tokenCount()];
        int t = 0;
        for (RnnCell.Node node : r.nodes()) {
            tokens[t++] = node.combine().ordinal();
            tokens[t++] = node.activation().ordinal();
        }
        tokens[t++] = r.inject().combine().ordinal();
        tokens[t++] = r.inject().activation().ordinal();
        tokens[t++] = r.injectNode();
        tokens[t] = r.memoryNode();
        return tokens;
    }
}
