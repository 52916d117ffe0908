package org.nasengine.nas.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.tensor.Scope;

/** The supernet's edge layout and DARTS' discretization rule on hand-set weights. */
class NasNetEdgesTest {
    private static final NasNetEdges EDGES = new NasNetEdges(2, NasNetEdges.DARTS_OPS);

    @Test
    void nodesReadEveryEarlierStateNormalCellFirst() {
        assertEquals(5, EDGES.perCell()); // node 0: inputs 0, 1; node 1: inputs 0, 1, 2
        assertEquals(10, EDGES.rows());
        assertEquals(7, EDGES.cols());    // none and DARTS' six operations in our space
        assertEquals(0, EDGES.row(false, 0, 0));
        assertEquals(4, EDGES.row(false, 1, 2));
        assertEquals(5, EDGES.row(true, 0, 0));
        assertEquals(9, EDGES.row(true, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> EDGES.row(false, 0, 2), "node 0 cannot read itself");
        assertThrows(IllegalArgumentException.class, () -> EDGES.column(NasNetOp.CONV_3X3));
    }

    /** softmax(alpha) rows: uniform except where the test sets an edge. */
    private static float[][] probs() {
        float[][] p = new float[EDGES.rows()][EDGES.cols()];
        for (float[] row : p) java.util.Arrays.fill(row, 1f / EDGES.cols());
        return p;
    }

    private static void set(float[][] p, int row, NasNetOp op, float weight, float none) {
        java.util.Arrays.fill(p[row], (1f - weight - none) / (EDGES.cols() - 2));
        p[row][0] = none;
        p[row][EDGES.column(op)] = weight;
    }

    @Test
    void eachNodeKeepsItsTwoStrongestInputsByTheirStrongestOperationOtherThanNone() {
        float[][] p = probs();
        set(p, EDGES.row(false, 0, 0), NasNetOp.SEP_CONV_3X3, 0.5f, 0f);
        set(p, EDGES.row(false, 0, 1), NasNetOp.IDENTITY, 0.12f, 0.8f);  // none dominates, yet node 0 has just two inputs
        set(p, EDGES.row(false, 1, 0), NasNetOp.MAX_POOL_3X3, 0.3f, 0f);
        set(p, EDGES.row(false, 1, 1), NasNetOp.DIL_CONV_3X3, 0.2f, 0f);
        set(p, EDGES.row(false, 1, 2), NasNetOp.SEP_CONV_5X5, 0.25f, 0.7f); // strongest by none, second by its best operation
        set(p, EDGES.row(true, 0, 1), NasNetOp.AVG_POOL_3X3, 0.6f, 0f);
        set(p, EDGES.row(true, 0, 0), NasNetOp.SEP_CONV_5X5, 0.4f, 0f);
        set(p, EDGES.row(true, 1, 2), NasNetOp.IDENTITY, 0.9f, 0f);
        set(p, EDGES.row(true, 1, 1), NasNetOp.MAX_POOL_3X3, 0.5f, 0.4f);
        NasNet found = EDGES.discretize(p, 3, 24);
        assertEquals(new NasNet(
                List.of(new NasNet.Block(0, NasNetOp.SEP_CONV_3X3, 1, NasNetOp.IDENTITY, NasNet.Combine.ADD),
                        new NasNet.Block(0, NasNetOp.MAX_POOL_3X3, 2, NasNetOp.SEP_CONV_5X5, NasNet.Combine.ADD)),
                List.of(new NasNet.Block(1, NasNetOp.AVG_POOL_3X3, 0, NasNetOp.SEP_CONV_5X5, NasNet.Combine.ADD),
                        new NasNet.Block(2, NasNetOp.IDENTITY, 1, NasNetOp.MAX_POOL_3X3, NasNet.Combine.ADD)),
                3, 24), found);
    }

    @Test
    void aChildRunsItsOwnOperationsOnlyAConcatBlockIsRefused() {
        NasNet child = new NasNet(
                List.of(new NasNet.Block(1, NasNetOp.IDENTITY, 1, NasNetOp.IDENTITY, NasNet.Combine.ADD),
                        new NasNet.Block(2, NasNetOp.SEP_CONV_3X3, 0, NasNetOp.MAX_POOL_3X3, NasNet.Combine.ADD)),
                List.of(new NasNet.Block(0, NasNetOp.AVG_POOL_3X3, 1, NasNetOp.SEP_CONV_5X5, NasNet.Combine.ADD),
                        new NasNet.Block(2, NasNetOp.IDENTITY, 1, NasNetOp.DIL_CONV_3X3, NasNet.Combine.ADD)), 1, 4);
        try (JavaBackend be = new JavaBackend(); Scope s = Scope.open()) {
            EdgeMix m = EDGES.child(child, be);
            float[] w = m.weights().toArray();
            int identity = EDGES.row(false, 0, 1) * EDGES.cols() + EDGES.column(NasNetOp.IDENTITY);
            assertEquals(2f, w[identity], "one operation chosen twice on one input runs once, weighted 2");
            float total = 0;
            for (float v : w) total += v;
            assertEquals(8f, total, "two operations a block, two blocks a cell, two cells");
            assertTrue(m.active()[EDGES.row(true, 1, 2)][EDGES.column(NasNetOp.IDENTITY)]);
            NasNet concat = new NasNet(List.of(new NasNet.Block(0, NasNetOp.IDENTITY, 1, NasNetOp.IDENTITY, NasNet.Combine.CONCAT),
                    child.normal().get(1)), child.reduction(), 1, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EDGES.child(concat, be));
            assertTrue(e.getMessage().contains("concatenates"), e.getMessage());
        }
    }
}
