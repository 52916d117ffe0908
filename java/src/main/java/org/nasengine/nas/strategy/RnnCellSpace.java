package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A recurrent cell as a tree: per node combine and activation, the inject pair, then the inject and memory nodes. */
public record RnnCellSpace(int base) implements DecisionSpace {

    public static final String[] COMBINES = {"add", "elem_mult"};
    public static final String[] ACTIVATIONS = {"tanh", "relu", "sigmoid", "identity"};

    public RnnCellSpace {
        if (base < 2 || base > 16) throw new IllegalArgumentException("base (" + base + ") must be 2..16");
    }

    @Override public String space() { return "rnn-cell"; }

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
    public ObjectNode decode(int[] tokens) {
        if (tokens.length != tokenCount())
            throw new IllegalArgumentException("rnn-cell of base " + base + " needs " + tokenCount() + " tokens, got " + tokens.length);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode().put("space", "rnn-cell").put("base", base);
        ArrayNode nodes = root.putArray("nodes");
        int t = 0;
        for (int i = 0; i < nodes(); i++, t += 2)
            nodes.addObject().put("combine", COMBINES[tokens[t]]).put("activation", ACTIVATIONS[tokens[t + 1]]);
        root.putObject("inject").put("combine", COMBINES[tokens[t]]).put("activation", ACTIVATIONS[tokens[t + 1]]);
        t += 2;
        root.put("injectNode", tokens[t]);
        root.put("memoryNode", tokens[t + 1]);
        return root;
    }
}
