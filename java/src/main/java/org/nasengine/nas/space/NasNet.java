package org.nasengine.nas.space;

import java.util.List;

/**
 * The {@code nasnet} form: a normal cell and a reduction cell of 1..10 blocks each, stacked by
 * hand (stem, {@code repeats} normal cells, reduction, {@code repeats} normal, reduction,
 * {@code repeats} normal) with {@code filters} channels before the first reduction.
 * Hidden-state indices in a block: 0 the cell two back, 1 the previous cell, 2 + b block b.
 */
public record NasNet(List<Block> normal, List<Block> reduction, int repeats, int filters) implements Architecture {
    public static final String SPACE = "nasnet";
    public static final int MAX_BLOCKS = 10;
    public static final int DEFAULT_REPEATS = 2;
    public static final int DEFAULT_FILTERS = 32;
    /** Hidden states 0 and 1 are the two cell inputs; block b's output is 2 + b. */
    public static final int CELL_INPUTS = 2;

    public enum Combine {
        ADD("add"), CONCAT("concat");

        private final String jsonName;

        Combine(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** One block: two hidden states, one operation each, combined. */
    public record Block(List<Integer> inputs, List<NasNetOp> ops, Combine combine) {
        public Block {
            inputs = List.copyOf(inputs);
            ops = List.copyOf(ops);
            java.util.Objects.requireNonNull(combine, "combine");
        }

        public Block(int input0, NasNetOp op0, int input1, NasNetOp op1, Combine combine) {
            this(List.of(input0, input1), List.of(op0, op1), combine);
        }
    }

    public NasNet(List<Block> normal, List<Block> reduction) {
        this(normal, reduction, DEFAULT_REPEATS, DEFAULT_FILTERS);
    }

    public NasNet {
        normal = List.copyOf(normal);
        reduction = List.copyOf(reduction);
        validateCell("normal", normal);
        validateCell("reduction", reduction);
        if (repeats < 1) throw new ArchitectureException("repeats", repeats + " must be >= 1");
        if (filters < 1) throw new ArchitectureException("filters", filters + " must be >= 1");
    }

    private static void validateCell(String name, List<Block> cell) {
        if (cell.isEmpty() || cell.size() > MAX_BLOCKS)
            throw new ArchitectureException(name, cell.size() + " blocks, must be 1.." + MAX_BLOCKS);
        for (int b = 0; b < cell.size(); b++) {
            String at = name + "[" + b + "]";
            Block block = cell.get(b);
            if (block.inputs().size() != 2)
                throw new ArchitectureException(at + ".inputs", block.inputs().size() + " hidden states, must be 2");
            if (block.ops().size() != 2)
                throw new ArchitectureException(at + ".ops", block.ops().size() + " operations, must be 2 (one per input)");
            for (int k = 0; k < 2; k++) {
                int input = block.inputs().get(k);
                String field = at + ".inputs[" + k + "]";
                if (input < 0) throw new ArchitectureException(field, input + " must be >= 0");
                if (input >= CELL_INPUTS + b)
                    throw new ArchitectureException(field, input + " refers to a block not before block " + b);
            }
        }
    }

    @Override
    public String space() {
        return SPACE;
    }

    /**
     * The blocks of a cell whose output no block of the cell reads, ascending: the cell's output
     * is their concatenation.
     */
    public static List<Integer> unreadBlocks(List<Block> cell) {
        boolean[] read = new boolean[cell.size()];
        for (Block block : cell) {
            for (int input : block.inputs()) if (input >= CELL_INPUTS) read[input - CELL_INPUTS] = true;
        }
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (int b = 0; b < read.length; b++) if (!read[b]) out.add(b);
        return List.copyOf(out);
    }
}
