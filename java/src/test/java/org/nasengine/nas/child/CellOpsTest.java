package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.NasNet.Block;
import org.nasengine.nas.space.NasNet.Combine;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.nn.Init;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** Each of the 13 operations, alone and inside normal and reduction cells. */
class CellOpsTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    private Tensor input(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Tensor.of(be, Init.uniform(Init.rng(n), 1f, n), shape);
    }

    @ParameterizedTest
    @EnumSource(NasNetOp.class)
    void operationMapsAnyWidthToFAtItsStride(NasNetOp op) {
        int[][] cases = {{4, 4, 1}, {6, 4, 1}, {4, 4, 2}, {3, 4, 2}}; // cin, F, stride
        for (int[] c : cases) {
            try (CellOp module = CellOps.create(op, c[0], c[1], c[2], be, Init.rng(5)); Scope s = Scope.open()) {
                Tensor y = module.forward(input(2, c[0], 7, 7));
                int out = (7 + c[2] - 1) / c[2];
                assertArrayEquals(new int[] {2, c[1], out, out}, y.shape(), op + " cin " + c[0] + " stride " + c[2]);
                assertEquals(c[1], module.outChannels());
            }
        }
    }

    @Test
    void identityIsFreeOnlyWhenNothingChanges() {
        try (CellOp same = CellOps.create(NasNetOp.IDENTITY, 4, 4, 1, be, Init.rng(1));
             CellOp wider = CellOps.create(NasNetOp.IDENTITY, 6, 4, 1, be, Init.rng(1));
             CellOp strided = CellOps.create(NasNetOp.IDENTITY, 4, 4, 2, be, Init.rng(1))) {
            assertInstanceOf(IdentityOp.class, same);
            assertEquals(0, same.parameterCount());
            // 1x1 convolution (no bias) + BN scale and shift
            assertEquals(6 * 4 + 8, wider.parameterCount());
            assertEquals(4 * 4 + 8, strided.parameterCount());
            assertTrue(strided.describe().contains("conv1x1/2"), strided.describe());
        }
    }

    @Test
    void operationParameterCountsFollowTheSpec() {
        int cin = 6, f = 4, bn = 2 * f;
        long[][] expected = {
                {NasNetOp.CONV_3X3.ordinal(), 9L * cin * f + bn},
                {NasNetOp.CONV_1X7_7X1.ordinal(), 7L * cin * f + 7L * f * f + bn},
                {NasNetOp.DIL_CONV_3X3.ordinal(), 9L * cin * f + bn},
                // (depthwise 5x5 on cin, pointwise cin->F, BN) then (depthwise on F, pointwise F->F, BN)
                {NasNetOp.SEP_CONV_5X5.ordinal(), 25L * cin + (long) cin * f + bn + 25L * f + (long) f * f + bn},
                {NasNetOp.MAX_POOL_5X5.ordinal(), (long) cin * f + bn},
                {NasNetOp.AVG_POOL_3X3.ordinal(), (long) cin * f + bn},
        };
        for (long[] e : expected) {
            NasNetOp op = NasNetOp.values()[(int) e[0]];
            try (CellOp module = CellOps.create(op, cin, f, 1, be, Init.rng(1))) {
                assertEquals(e[1], module.parameterCount(), op + ": " + module.describe());
            }
        }
        try (CellOp pool = CellOps.create(NasNetOp.MAX_POOL_3X3, f, f, 2, be, Init.rng(1))) {
            assertEquals(0, pool.parameterCount(), "pooling on an input of width F needs no projection");
        }
    }

    @Test
    void averagePoolingDoesNotCountPadding() {
        try (CellOp pool = CellOps.create(NasNetOp.AVG_POOL_3X3, 1, 1, 1, be, Init.rng(1)); Scope s = Scope.open()) {
            float[] y = pool.forward(Tensor.of(be, new float[] {1, 2, 3, 4}, 1, 1, 2, 2)).toArray();
            // every 3x3 window over a 2x2 map covers all four values: mean 2.5, not 10/9
            for (int i = 0; i < 4; i++) assertEquals(2.5f, y[i], 1e-6f, "output " + i);
        }
    }

    @Test
    void dilatedConvolutionSeesTwoPixelsAway() {
        // a single 1 at the centre of a 5x5 map reaches exactly the 3x3 grid of offsets 0 and +-2
        try (CellOp op = CellOps.create(NasNetOp.DIL_CONV_3X3, 1, 1, 1, be, Init.rng(1)); Scope s = Scope.open()) {
            op.eval();
            float[] x = new float[25];
            x[12] = 1f;
            float[] y;
            try (var g = org.nasengine.tensor.Tape.noGrad()) {
                y = op.forward(Tensor.of(be, x, 1, 1, 5, 5)).toArray();
            }
            // evaluation-mode BN with fresh statistics is x / sqrt(1 + eps): zero stays zero
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 5; c++) {
                    boolean reached = r % 2 == 0 && c % 2 == 0;
                    if (!reached) assertEquals(0f, y[r * 5 + c], 0f, "(" + r + ", " + c + ") is not 2 apart from the centre");
                    else assertTrue(y[r * 5 + c] != 0f, "(" + r + ", " + c + ") is 2 apart from the centre but got 0");
                }
        }
    }

    @ParameterizedTest
    @EnumSource(NasNetOp.class)
    void operationRunsInNormalAndReductionCells(NasNetOp op) {
        int f = 4;
        // block 1 reads block 0 (stride 1 even in the reduction cell) and a cell input
        List<Block> blocks = List.of(new Block(0, op, 1, op, Combine.ADD), new Block(2, op, 0, op, Combine.CONCAT));
        try (NasNetCell normal = new NasNetCell(blocks, false, new int[] {5, 8, 8}, new int[] {6, 4, 4}, f, be, Init.rng(2));
             NasNetCell reduction = new NasNetCell(blocks, true, new int[] {6, 4, 4}, new int[] {6, 4, 4}, 2 * f, be, Init.rng(3))) {
            assertArrayEquals(new int[] {2 * f, 4, 4}, normal.outputShape(), op + " normal");
            assertArrayEquals(new int[] {4 * f, 2, 2}, reduction.outputShape(), op + " reduction");
            try (Scope s = Scope.open()) {
                Tensor x0 = input(2, 5, 8, 8).requireGrad(), x1 = input(2, 6, 4, 4).requireGrad();
                Tensor yn = normal.forward(x0, x1);
                assertArrayEquals(new int[] {2, 2 * f, 4, 4}, yn.shape(), op + " normal cell output");
                Tensor yr = reduction.forward(x1, x1.scale(-0.5f));
                assertArrayEquals(new int[] {2, 4 * f, 2, 2}, yr.shape(), op + " reduction cell output");
                yr.sum().add(yn.sum()).backward();
                assertTrue(x0.gradOrNull() != null && x1.gradOrNull() != null, op + ": gradient reached the cell inputs");
            }
            for (Tensor p : normal.parameters()) assertTrue(p.gradOrNull() != null, op + " normal: no gradient reached " + p);
            for (Tensor p : reduction.parameters()) assertTrue(p.gradOrNull() != null, op + " reduction: no gradient reached " + p);
        }
    }
}
