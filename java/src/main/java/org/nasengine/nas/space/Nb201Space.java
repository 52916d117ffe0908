package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.List;

/** NAS-Bench-201: one operation per edge of the cell, in the benchmark's edge order (5^6 cells). */
public record Nb201Space(int channels, int cellsPerStage) implements DecisionSpace {
    private static final Nb201.Op[] OPS = Nb201.Op.values();

    /** The benchmark's network: 16 channels, 5 cells per stage. */
    public static Nb201Space benchmark() {
        return new Nb201Space(Nb201.DEFAULT_CHANNELS, Nb201.DEFAULT_CELLS_PER_STAGE);
    }

    @Override public String space() { return Nb201.SPACE; }

    @Override
    public List<Decision> decisions() {
        List<Decision> out = new ArrayList<>();
        for (int e = 0; e < Nb201.EDGES; e++) out.add(new Decision.Choice("edge_op", OPS.length));
        return out;
    }

    @Override
    public Nb201 decode(int[] tokens) {
        check(tokens);
        List<Nb201.Op> edges = new ArrayList<>(Nb201.EDGES);
        for (int token : tokens) edges.add(OPS[token]);
        return new Nb201(edges, channels, cellsPerStage);
    }

    @Override
    public int[] encode(Architecture arch) {
        if (!(arch instanceof Nb201 b)) throw new IllegalArgumentException("not an nb201 cell: " + arch.key());
        int[] tokens = new int[Nb201.EDGES];
        for (int e = 0; e < Nb201.EDGES; e++) tokens[e] = b.edges().get(e).ordinal();
        return tokens;
    }
}
