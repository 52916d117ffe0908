package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** NASNet: B blocks of 5 predictions for the normal cell, then B for the reduction cell (2 x 5B). */
public record NasNetSpace(int blocks, int repeats, int filters) implements DecisionSpace {

    public static final String[] OPS = {"identity", "conv_1x3_3x1", "conv_1x7_7x1", "dil_conv_3x3", "avg_pool_3x3",
            "max_pool_3x3", "max_pool_5x5", "max_pool_7x7", "conv_1x1", "conv_3x3", "sep_conv_3x3",
            "sep_conv_5x5", "sep_conv_7x7"};
    public static final String[] COMBINES = {"add", "concat"};

    public NasNetSpace {
        if (blocks < 1 || blocks > 10) throw new IllegalArgumentException("blocks (" + blocks + ") must be 1..10");
    }

    @Override public String space() { return "nasnet"; }

    @Override
    public List<Decision> decisions() {
        List<Decision> out = new ArrayList<>();
        for (int cell = 0; cell < 2; cell++) {
            for (int b = 0; b < blocks; b++) {
                out.add(new Decision.Choice("input" + (2 + b), 2 + b));
                out.add(new Decision.Choice("input" + (2 + b), 2 + b));
                out.add(new Decision.Choice("op", OPS.length));
                out.add(new Decision.Choice("op", OPS.length));
                out.add(new Decision.Choice("combine", COMBINES.length));
            }
        }
        return out;
    }

    @Override
    public ObjectNode decode(int[] tokens) {
        if (tokens.length != tokenCount())
            throw new IllegalArgumentException("nasnet of " + blocks + " blocks needs " + tokenCount() + " tokens, got " + tokens.length);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode().put("space", "nasnet");
        int t = 0;
        for (String cell : new String[] {"normal", "reduction"}) {
            ArrayNode list = root.putArray(cell);
            for (int b = 0; b < blocks; b++) {
                ObjectNode block = list.addObject();
                block.putArray("inputs").add(tokens[t]).add(tokens[t + 1]);
                block.putArray("ops").add(OPS[tokens[t + 2]]).add(OPS[tokens[t + 3]]);
                block.put("combine", COMBINES[tokens[t + 4]]);
                t += 5;
            }
        }
        root.put("repeats", repeats);
        root.put("filters", filters);
        return root;
    }
}
