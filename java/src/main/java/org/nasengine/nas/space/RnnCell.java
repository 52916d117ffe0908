package org.nasengine.nas.space;

import java.util.List;
import java.util.Objects;

/**
 * The {@code rnn-cell} form: a recurrent cell as a binary tree (Zoph &amp; Le 2017). Nodes
 * {@code 0..base-1} are leaves computing {@code act(combine(W_i x_t + b_i, U_i h_{t-1}))}; internal
 * node {@code base + k} computes {@code act(combine(node 2k, node 2k+1))}; the last node is the
 * root and its output is h_t. The output of {@code injectNode} is replaced by
 * {@code inject.activation(inject.combine(it, c_{t-1}))}; c_t is {@code memoryNode} before its
 * activation.
 */
public record RnnCell(int base, List<Node> nodes, Node inject, int injectNode, int memoryNode) implements Architecture {
    public static final String SPACE = "rnn-cell";
    public static final int MIN_BASE = 2;
    public static final int MAX_BASE = 16;

    public enum Combine {
        ADD("add"), ELEM_MULT("elem_mult");

        private final String jsonName;

        Combine(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    public enum Activation {
        TANH("tanh"), RELU("relu"), SIGMOID("sigmoid"), IDENTITY("identity");

        private final String jsonName;

        Activation(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    public record Node(Combine combine, Activation activation) {
        public Node {
            Objects.requireNonNull(combine, "combine");
            Objects.requireNonNull(activation, "activation");
        }
    }

    public RnnCell {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(inject, "inject");
        if (base < MIN_BASE || base > MAX_BASE)
            throw new ArchitectureException("base", base + " must be " + MIN_BASE + ".." + MAX_BASE);
        if (nodes.size() != 2 * base - 1)
            throw new ArchitectureException("nodes", "base " + base + " needs " + (2 * base - 1) + " nodes, got " + nodes.size());
        checkNode("injectNode", injectNode, nodes.size());
        checkNode("memoryNode", memoryNode, nodes.size());
    }

    private static void checkNode(String field, int index, int count) {
        if (index < 0 || index >= count)
            throw new ArchitectureException(field, index + " must be a node, 0.." + (count - 1));
    }

    @Override
    public String space() {
        return SPACE;
    }

    public boolean isLeaf(int node) {
        return node < base;
    }

    public int root() {
        return nodes.size() - 1;
    }

    /** The left child of internal node {@code base + k}: node 2k. */
    public int leftChild(int node) {
        return 2 * internalIndex(node);
    }

    /** The right child of internal node {@code base + k}: node 2k + 1. */
    public int rightChild(int node) {
        return 2 * internalIndex(node) + 1;
    }

    private int internalIndex(int node) {
        if (node < base || node > root())
            throw new IllegalArgumentException("node (" + node + ") is not an internal node, " + base + ".." + root());
        return node - base;
    }
}
