package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * NASNet: B blocks of 5 predictions (two inputs, two operations, the combine) for the normal
 * cell, then B for the reduction cell (2 x 5B). Operation tokens index {@link NasNetOp#values()}.
 */
public record NasNetSpace(int blocks, int repeats, int filters) implements DecisionSpace {
    private static final NasNetOp[] OPS = NasNetOp.values();
    private static final NasNet.Combine[] COMBINES = NasNet.Combine.values();

    public NasNetSpace {
        if (blocks < 1 || blocks > NasNet.MAX_BLOCKS)
            throw new IllegalArgumentException("blocks (" + blocks + ") must be 1.." + NasNet.MAX_BLOCKS);
    }

    @Override public String space() { return NasNet.SPACE; }

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

    /** Cells of 1, 2, ..., B blocks (normal and reduction grow together), as PNAS searches them. */
    @Override
    public List<DecisionSpace> growth() {
        List<DecisionSpace> out = new ArrayList<>();
        for (int b = 1; b <= blocks; b++) out.add(new NasNetSpace(b, repeats, filters));
        return out;
    }

    /** The normal cell's blocks come first, the reduction cell's after all B normal ones. */
    @Override
    public int[] positionsOf(DecisionSpace smaller) {
        if (!(smaller instanceof NasNetSpace s) || s.blocks > blocks)
            throw new IllegalArgumentException("not a nasnet space of at most " + blocks + " blocks: " + smaller);
        int[] out = new int[s.tokenCount()];
        for (int t = 0; t < out.length; t++) {
            int cell = t / (5 * s.blocks), within = t % (5 * s.blocks);
            out[t] = cell * 5 * blocks + within;
        }
        return out;
    }

    @Override
    public NasNet decode(int[] tokens) {
        check(tokens);
        List<List<NasNet.Block>> cells = new ArrayList<>();
        int t = 0;
        for (int cell = 0; cell < 2; cell++) {
            List<NasNet.Block> blocksOfCell = new ArrayList<>();
            for (int b = 0; b < blocks; b++, t += 5)
                blocksOfCell.add(new NasNet.Block(tokens[t], OPS[tokens[t + 2]], tokens[t + 1], OPS[tokens[t + 3]],
                        COMBINES[tokens[t + 4]]));
            cells.add(blocksOfCell);
        }
        return new NasNet(cells.get(0), cells.get(1), repeats, filters);
    }

    @Override
    public int[] encode(Architecture arch) {
        if (!(arch instanceof NasNet n) || n.normal().size() != blocks || n.reduction().size() != blocks
                || n.repeats() != repeats || n.filters() != filters)
            throw new IllegalArgumentException("not a nasnet of " + blocks + " blocks, " + repeats + " repeats, "
                    + filters + " filters: " + arch.key());
        int[] tokens = new int[tokenCount()];
        int t = 0;
        for (List<NasNet.Block> cell : List.of(n.normal(), n.reduction())) {
            for (NasNet.Block b : cell) {
                tokens[t++] = b.inputs().get(0);
                tokens[t++] = b.inputs().get(1);
                tokens[t++] = b.ops().get(0).ordinal();
                tokens[t++] = b.ops().get(1).ordinal();
                tokens[t++] = b.combine().ordinal();
            }
        }
        return tokens;
    }
}
