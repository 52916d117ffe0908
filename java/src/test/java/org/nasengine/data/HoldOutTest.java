package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HoldOutTest {

    @Test
    void defaultIsTenPercentCappedAtFiveThousand() {
        assertEquals(5_000, HoldOut.DEFAULT.count(50_000));
        assertEquals(5_000, HoldOut.DEFAULT.count(60_000));
        assertEquals(400, HoldOut.DEFAULT.count(4_000));
        assertEquals(0, HoldOut.DEFAULT.count(4));
        assertEquals(1, HoldOut.DEFAULT.count(5));
        assertEquals(7, HoldOut.ofCount(7, 0).count(100));
        assertEquals(3, HoldOut.ofCount(7, 0).count(3));
        assertEquals(25, HoldOut.ofFraction(0.25, 0).count(100));
        assertEquals(0, HoldOut.none().count(100));
    }

    @Test
    void splitIsDisjointCompleteAndSeeded() {
        int n = 1_000;
        int[][] a = HoldOut.ofCount(100, 42).split(n);
        assertEquals(900, a[0].length);
        assertEquals(100, a[1].length);
        boolean[] seen = new boolean[n];
        for (int[] part : a) {
            for (int i = 0; i < part.length; i++) {
                assertFalse(seen[part[i]], "index " + part[i] + " in both splits");
                seen[part[i]] = true;
                if (i > 0 && part[i] <= part[i - 1]) throw new AssertionError("not ascending at " + i);
            }
        }
        for (int i = 0; i < n; i++) if (!seen[i]) throw new AssertionError("index " + i + " in neither split");
        int[][] again = HoldOut.ofCount(100, 42).split(n);
        assertArrayEquals(a[1], again[1]);
        assertFalse(Arrays.equals(a[1], HoldOut.ofCount(100, 43).split(n)[1]), "another seed holds out the same images");
    }

    @Test
    void datasetValidationIsTheHeldOutTrainingImages() {
        RawImages trainFile = new Synthetic(2, 4, 3, 5).generate(50, 0);
        RawImages testFile = new Synthetic(2, 4, 3, 5).generate(10, 1);
        HoldOut holdOut = HoldOut.ofCount(12, 9);
        ImageDataset d = ImageDataset.of("synthetic", trainFile, testFile, holdOut);
        int[][] idx = holdOut.split(50);
        ChannelStats stats = ChannelStats.of(trainFile.select(idx[0]));
        assertArrayEquals(stats.mean(), d.stats().mean());
        assertArrayEquals(stats.normalise(trainFile.select(idx[1])), d.validation().images());
        assertArrayEquals(stats.normalise(trainFile.select(idx[0])), d.train().images());
        assertArrayEquals(stats.normalise(testFile), d.test().images());
        assertEquals(38, d.train().count());
        assertEquals(12, d.validation().count());
        for (int i = 0; i < 12; i++) assertEquals(trainFile.labels()[idx[1][i]], d.validation().labels()[i]);
    }

    @Test
    void rejectsBadSettings() {
        assertEquals("fraction (1.5) must be in 0..1",
                assertThrows(IllegalArgumentException.class, () -> new HoldOut(1.5, 1, 0)).getMessage());
        assertEquals("fraction (NaN) must be in 0..1",
                assertThrows(IllegalArgumentException.class, () -> new HoldOut(Double.NaN, 1, 0)).getMessage());
        assertEquals("maxCount (-1) must be >= 0",
                assertThrows(IllegalArgumentException.class, () -> HoldOut.ofCount(-1, 0)).getMessage());
    }
}
