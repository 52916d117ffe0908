package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** Weight slices of a shared master: placement by hand, gradients by finite differences. */
class SlicesGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 43);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void keepsTheFirstRowsTheRangesAndTheCentredWindow() {
        // master (2, 4, 3, 3) with value 1000*r + 100*c + 10*y + x
        float[] m = new float[2 * 4 * 9];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 4; c++)
                for (int y = 0; y < 3; y++)
                    for (int x = 0; x < 3; x++) m[((r * 4 + c) * 3 + y) * 3 + x] = 1000 * r + 100 * c + 10 * y + x;
        Tensor master = Tensor.of(be, m, 2, 4, 3, 3);
        // first row, channels 1 and 3, the 1x1 centre: (1, 2, 1, 1)
        assertArrayEquals(new float[] {111, 311},
                Slices.gather(master, new int[] {2, 4, 3, 3}, 1, new int[] {1, 3}, new int[] {1, 1}, 1, 1, 1, 2, 1, 1).toArray());
        // both rows, channels 2..3, the 3x1 middle column: (2, 2, 3, 1)
        assertArrayEquals(new float[] {201, 211, 221, 301, 311, 321, 1201, 1211, 1221, 1301, 1311, 1321},
                Slices.gather(master, new int[] {2, 4, 3, 3}, 2, new int[] {2}, new int[] {2}, 3, 1, 2, 2, 3, 1).toArray());
    }

    @Test
    void gradients() {
        gc.check("slice: rows 2 of 3, ranges [1,3) and [4,5) of 6, 3x1 of 5x3",
                List.of(gc.input(3, 6, 5, 3)),
                in -> List.of(Slices.gather(in.get(0), new int[] {3, 6, 5, 3}, 2, new int[] {1, 4}, new int[] {2, 1}, 3, 1, 2, 3, 3, 1)));
        gc.check("slice of a vector (a prefix) and of a matrix (columns), used twice",
                List.of(gc.input(5), gc.input(2, 6)),
                in -> List.of(Slices.gather(in.get(0), new int[] {1, 5, 1, 1}, 1, new int[] {0}, new int[] {3}, 1, 1, 3),
                        Slices.gather(in.get(1), new int[] {2, 6, 1, 1}, 2, new int[] {0, 3}, new int[] {2, 3}, 1, 1, 2, 5),
                        Slices.gather(in.get(1), new int[] {2, 6, 1, 1}, 2, new int[] {5}, new int[] {1}, 1, 1, 2, 1)));
    }

    @Test
    void refusesRangesAndWindowsThatDoNotFit() {
        Tensor master = Tensor.zeros(be, 2, 4, 3, 3);
        int[] view = {2, 4, 3, 3};
        assertThrows(IllegalArgumentException.class, () -> Slices.gather(master, view, 1, new int[] {2, 1}, new int[] {1, 1}, 1, 1, 1, 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Slices.gather(master, view, 1, new int[] {3}, new int[] {2}, 1, 1, 1, 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Slices.gather(master, view, 1, new int[] {0}, new int[] {1}, 2, 2, 1, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Slices.gather(master, view, 3, new int[] {0}, new int[] {1}, 1, 1, 3, 1, 1, 1));
    }
}
