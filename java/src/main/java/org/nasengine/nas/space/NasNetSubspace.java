package org.nasengine.nas.space;

import java.util.List;
import java.util.Set;

/**
 * A {@link NasNetSpace} whose blocks may use only some operations and some combines: what a
 * supernet holds (ENAS's micro search samples only cells its shared weights can run). The tokens,
 * decoding and encoding are the base space's; {@link #allows} masks the other choices, so every
 * strategy samples inside the subspace and the controller's probabilities stay exact.
 */
public record NasNetSubspace(NasNetSpace base, Set<NasNetOp> ops, Set<NasNet.Combine> combines) implements DecisionSpace {

    public NasNetSubspace {
        ops = Set.copyOf(ops);
        combines = Set.copyOf(combines);
        if (ops.isEmpty() || combines.isEmpty())
            throw new IllegalArgumentException("a nasnet subspace needs at least one operation (" + ops + ") and one combine (" + combines + ")");
    }

    /** The blocks of DARTS' form: the given operations, summed (ENAS's micro search, on a DARTS-form supernet). */
    public static NasNetSubspace summing(NasNetSpace base, List<NasNetOp> ops) {
        return new NasNetSubspace(base, Set.copyOf(ops), Set.of(NasNet.Combine.ADD));
    }

    @Override public String space() { return base.space(); }

    @Override public List<Decision> decisions() { return base.decisions(); }

    @Override
    public NasNet decode(int[] tokens) {
        NasNet n = base.decode(tokens);
        for (List<NasNet.Block> cell : List.of(n.normal(), n.reduction()))
            for (NasNet.Block b : cell)
                if (!ops.containsAll(b.ops()) || !combines.contains(b.combine()))
                    throw new IllegalArgumentException("block " + b + " is outside the subspace (operations " + ops + ", combines " + combines + ")");
        return n;
    }

    @Override
    public int[] encode(Architecture arch) {
        int[] tokens = base.encode(arch);
        decode(tokens); // refuses a cell outside the subspace
        return tokens;
    }

    @Override
    public boolean allows(int[] tokens, int position, int choice) {
        return switch (tokenKinds()[position]) {
            case "op" -> ops.contains(NasNetOp.values()[choice]);
            case "combine" -> combines.contains(NasNet.Combine.values()[choice]);
            default -> true;
        };
    }
}
