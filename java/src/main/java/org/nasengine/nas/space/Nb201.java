package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code nb201} form: a NAS-Bench-201 cell (Dong &amp; Yang, ICLR 2020). Node 0 is the cell
 * input; node j (1..3) sums {@code op(node i)} over every earlier node i; node 3 is the output.
 * The six edges are held in the benchmark's order (1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2),
 * and {@link #cellString()} is the benchmark's own string, the key of its tables.
 */
public record Nb201(List<Op> edges, int channels, int cellsPerStage) implements Architecture {
    public static final String SPACE = "nb201";
    public static final int NODES = 4;
    public static final int EDGES = 6;
    public static final int DEFAULT_CHANNELS = 16;
    public static final int DEFAULT_CELLS_PER_STAGE = 5;

    /** The benchmark's five operations, in its own order. */
    public enum Op {
        NONE("none"), SKIP_CONNECT("skip_connect"), NOR_CONV_1X1("nor_conv_1x1"), NOR_CONV_3X3("nor_conv_3x3"),
        AVG_POOL_3X3("avg_pool_3x3");

        private final String jsonName;

        Op(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        public boolean parameterFree() {
            return this != NOR_CONV_1X1 && this != NOR_CONV_3X3;
        }
    }

    public Nb201 {
        edges = List.copyOf(edges);
        if (edges.size() != EDGES) throw new ArchitectureException("cell", "needs " + EDGES + " edges, got " + edges.size());
        edges.forEach(e -> Objects.requireNonNull(e, "edge"));
        if (channels < 1 || channels > 1024) throw new ArchitectureException("channels", channels + " must be 1..1024");
        if (cellsPerStage < 1 || cellsPerStage > 64)
            throw new ArchitectureException("cells_per_stage", cellsPerStage + " must be 1..64");
    }

    /** With the benchmark's network (16 channels, 5 cells per stage). */
    public static Nb201 of(List<Op> edges) {
        return new Nb201(edges, DEFAULT_CHANNELS, DEFAULT_CELLS_PER_STAGE);
    }

    @Override
    public String space() {
        return SPACE;
    }

    /** Index in {@link #edges()} of the edge from node {@code from} into node {@code to} (0 &lt;= from &lt; to &lt;= 3). */
    public static int edgeIndex(int to, int from) {
        if (to < 1 || to >= NODES || from < 0 || from >= to)
            throw new IllegalArgumentException("no edge " + from + " -> " + to);
        return to * (to - 1) / 2 + from;
    }

    public Op edge(int to, int from) {
        return edges.get(edgeIndex(to, from));
    }

    /** The benchmark's string: {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}. */
    public String cellString() {
        StringBuilder sb = new StringBuilder();
        for (int to = 1; to < NODES; to++) {
            if (to > 1) sb.append('+');
            sb.append('|');
            for (int from = 0; from < to; from++) sb.append(edge(to, from).jsonName()).append('~').append(from).append('|');
        }
        return sb.toString();
    }

    /** Parses the benchmark's string; every error names the part that is wrong. */
    public static List<Op> parseCell(String cell) {
        String[] nodes = cell.split("\\+", -1);
        if (nodes.length != NODES - 1)
            throw new ArchitectureException("cell", "\"" + cell + "\" must have 3 node groups separated by '+', got " + nodes.length);
        List<Op> edges = new ArrayList<>(EDGES);
        for (int to = 1; to < NODES; to++) {
            String group = nodes[to - 1];
            if (!group.startsWith("|") || !group.endsWith("|") || group.length() < 2)
                throw new ArchitectureException("cell", "node " + to + " group \"" + group + "\" must be |op~i|...|");
            String[] parts = group.substring(1, group.length() - 1).split("\\|", -1);
            if (parts.length != to)
                throw new ArchitectureException("cell", "node " + to + " needs " + to + " edges (one from each earlier node), got \""
                        + group + "\"");
            for (int from = 0; from < to; from++) {
                String part = parts[from];
                int tilde = part.lastIndexOf('~');
                if (tilde < 0) throw new ArchitectureException("cell", "edge \"" + part + "\" of node " + to + " must be op~i");
                String input = part.substring(tilde + 1);
                if (!input.equals(Integer.toString(from)))
                    throw new ArchitectureException("cell", "edge \"" + part + "\" of node " + to + " must come from node " + from);
                edges.add(op(part.substring(0, tilde), to));
            }
        }
        return edges;
    }

    private static Op op(String name, int node) {
        for (Op op : Op.values()) if (op.jsonName.equals(name)) return op;
        List<String> names = new ArrayList<>();
        for (Op op : Op.values()) names.add(op.jsonName);
        throw new ArchitectureException("cell", "operation \"" + name + "\" of node " + node + " must be one of " + String.join(", ", names));
    }
}
