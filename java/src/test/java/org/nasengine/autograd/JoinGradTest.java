package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** The zero-pad join, the concats, column slicing and reshape: gradients and placement. */
class JoinGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 37);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void padConcatWithOddPadding() {
        // 5x4, 2x1 and 4x3: pads of 3 rows / 3 columns and 1 row / 1 column, the odd one bottom/right
        gc.check("pad-concat", List.of(gc.input(2, 2, 5, 4), gc.input(2, 3, 2, 1), gc.input(2, 1, 4, 3)),
                in -> List.of(Join.padConcat(in)));
    }

    @Test
    void padConcatOfOneInputUsedTwice() {
        Tensor x = gc.input(1, 2, 3, 3);
        gc.check("pad-concat [x, x]", List.of(x), in -> List.of(Join.padConcat(List.of(in.get(0), in.get(0)))));
    }

    @Test
    void concatChannelsAndFeatures() {
        gc.check("concat channels", List.of(gc.input(2, 2, 3, 3), gc.input(2, 3, 3, 3)),
                in -> List.of(Join.concatChannels(in)));
        gc.check("concat features", List.of(gc.input(3, 2), gc.input(3, 4), gc.input(3, 1)),
                in -> List.of(Join.concatFeatures(in)));
    }

    @Test
    void columns() {
        Tensor x = gc.input(3, 7);
        gc.check("columns middle", List.of(x), in -> List.of(Join.columns(in.get(0), 2, 5)));
        gc.check("columns head and tail", List.of(x),
                in -> List.of(Join.columns(in.get(0), 0, 3), Join.columns(in.get(0), 3, 7)));
        gc.check("columns all", List.of(x), in -> List.of(Join.columns(in.get(0), 0, 7)));
        Tensor y = gc.input(3, 6);
        gc.check("splitColumns in 3", List.of(y), in -> Join.splitColumns(in.get(0), 3));
        gc.check("splitColumns, one piece unused", List.of(y), in -> Join.splitColumns(in.get(0), 3).subList(0, 2));
    }

    @Test
    void reshape() {
        gc.check("reshape (2,3,4)->(4,-1)", List.of(gc.input(2, 3, 4)), in -> List.of(Reshape.reshape(in.get(0), 4, -1)));
        gc.check("flatten", List.of(gc.input(2, 3, 2, 2)), in -> List.of(Reshape.flatten(in.get(0))));
    }

    @Test
    void joinPlacesTheOddPaddingBottomRight() {
        // a 1x1 map of value 1 joined with a 4x4 map: the 1x1 lands at row 1, column 1 (3 pad: 1 top, 2 bottom)
        Tensor big = Tensor.zeros(be, 1, 1, 4, 4), small = Tensor.of(be, new float[] {1f}, 1, 1, 1, 1);
        Tensor y = Join.padConcat(List.of(big, small));
        assertArrayEquals(new int[] {1, 2, 4, 4}, y.shape());
        float[] v = y.toArray();
        for (int i = 0; i < 16; i++) assertTrue(v[16 + i] == (i == 4 + 1 ? 1f : 0f), "join channel 1 at " + i + ": " + v[16 + i]);
        // and a 2x3 map in a 5x4 output: top 1, left 0
        JoinGeometry j = Join.geometry(List.of(new int[] {1, 1, 5, 4}, new int[] {1, 1, 2, 3}));
        assertArrayEquals(new int[] {1, 2, 5, 4}, Join.outputShape(List.of(new int[] {1, 1, 5, 4}, new int[] {1, 1, 2, 3})));
        assertTrue(j.top(1) == 1 && j.left(1) == 0, "top " + j.top(1) + " left " + j.left(1));
    }

    @Test
    void singleInputJoinIsTheInput() {
        Tensor x = Tensor.zeros(be, 1, 2, 3, 3);
        assertSame(x, Join.padConcat(List.of(x)));
    }

    @Test
    void joinRejectsMismatchedBatches() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Join.padConcat(List.of(Tensor.zeros(be, 2, 1, 3, 3), Tensor.zeros(be, 3, 1, 3, 3))));
        assertTrue(e.getMessage().contains("N = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Join.concatChannels(List.of(Tensor.zeros(be, 1, 1, 3, 3), Tensor.zeros(be, 1, 1, 2, 3))));
    }

    @Test
    void columnsCopyTheRightValues() {
        Tensor x = Tensor.of(be, new float[] {0, 1, 2, 3, 10, 11, 12, 13}, 2, 4);
        assertArrayEquals(new float[] {1, 2, 11, 12}, Join.columns(x, 1, 3).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 10, 11, 12, 13, 10, 11},
                Join.concatFeatures(List.of(x, Join.columns(x, 0, 2))).toArray());
    }

    @Test
    void reshapeRejectsWrongSizes() {
        Tensor x = Tensor.zeros(be, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, 4, -1));
        assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, -1, -1));
        assertArrayEquals(new int[] {3, 2}, Reshape.reshape(x, -1, 2).shape());
    }
}
