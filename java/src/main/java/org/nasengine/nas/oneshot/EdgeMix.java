package org.nasengine.nas.oneshot;

import java.util.Arrays;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Tensor;

/**
 * What a supernet runs on each edge in its next forward: which candidate operations and how they
 * are combined. Rows are edges, columns candidates (for a NAS-Bench-201 cell its six edges and
 * {@link Nb201.Op} order; a NASNet supernet lays out its own, see {@link NasNetEdges}). With
 * {@code weights} null the active outputs are simply summed (one active operation per edge: a
 * fixed child, as ENAS samples it); otherwise they are mixed by row e of {@code weights} (DARTS'
 * softmax over all of them, or GDAS' straight-through one-hot over the sampled one). The zero
 * operation ({@code none}) is never computed: it adds nothing, and its weight only rescales the
 * others' share.
 *
 * @param weights (EDGES, OPS) mixing weights, or null
 * @param active  (EDGES, OPS) which operations run
 * @param auxSkip the weight of an extra identity added to every edge (DARTS-' auxiliary skip), 0 for none
 */
public record EdgeMix(Tensor weights, boolean[][] active, float auxSkip) {
    /** The candidates of a NAS-Bench-201 edge. */
    public static final int OPS = Nb201.Op.values().length;

    public EdgeMix {
        if (active.length == 0) throw new IllegalArgumentException("edge mix needs at least one edge");
        int ops = active[0].length;
        for (boolean[] a : active)
            if (a.length != ops) throw new IllegalArgumentException("edge mix: every edge needs " + ops + " operations, got " + a.length);
        if (weights != null && (weights.rank() != 2 || weights.dim(0) != active.length || weights.dim(1) != ops))
            throw new IllegalArgumentException("edge mix weights " + Arrays.toString(weights.shape()) + " must be ("
                    + active.length + ", " + ops + ")");
        if (!(auxSkip >= 0)) throw new IllegalArgumentException("auxiliary skip weight (" + auxSkip + ") must be >= 0");
    }

    public int edges() { return active.length; }
    public int ops() { return active[0].length; }

    /** Throws unless the mix has {@code edges} rows of {@code ops} candidates (what a supernet's cells hold). */
    public EdgeMix require(int edges, int ops, String who) {
        if (edges() != edges || ops() != ops)
            throw new IllegalArgumentException(who + " runs (" + edges + " edges, " + ops + " operations), got a mix of ("
                    + edges() + ", " + ops() + ")");
        return this;
    }

    /** The same mix with an auxiliary skip of weight {@code beta} on every edge. */
    public EdgeMix withAuxSkip(float beta) {
        return new EdgeMix(weights, active, beta);
    }

    /** One fixed cell: each edge runs its own operation, unweighted. */
    public static EdgeMix child(Nb201 cell) {
        boolean[][] active = new boolean[Nb201.EDGES][OPS];
        for (int e = 0; e < Nb201.EDGES; e++) active[e][cell.edges().get(e).ordinal()] = true;
        return new EdgeMix(null, active, 0f);
    }

    /** Every operation of every edge, mixed by {@code weights} (DARTS). */
    public static EdgeMix all(Tensor weights) {
        boolean[][] active = new boolean[weights.dim(0)][weights.dim(1)];
        for (boolean[] a : active) Arrays.fill(a, true);
        return new EdgeMix(weights, active, 0f);
    }

    /** The operations {@code keep} allows, mixed by {@code weights} (progressive shrinking). */
    public static EdgeMix masked(Tensor weights, boolean[][] keep) {
        boolean[][] active = new boolean[keep.length][];
        for (int e = 0; e < keep.length; e++) active[e] = keep[e].clone();
        return new EdgeMix(weights, active, 0f);
    }

    /** One sampled operation per edge, scaled by its weight (GDAS: the weight is 1 in value, the softmax in gradient). */
    public static EdgeMix sampled(Tensor weights, int[] chosen) {
        boolean[][] active = new boolean[chosen.length][weights.dim(1)];
        for (int e = 0; e < chosen.length; e++) active[e][chosen[e]] = true;
        return new EdgeMix(weights, active, 0f);
    }
}
