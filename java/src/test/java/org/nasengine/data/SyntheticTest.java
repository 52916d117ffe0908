package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticTest {

    @Test
    void seededAndStreamsDiffer() {
        Synthetic s = new Synthetic(3, 8, 10, 4);
        RawImages a = s.generate(20, 0);
        assertArrayEquals(a.pixels(), s.generate(20, 0).pixels());
        assertArrayEquals(a.labels(), s.generate(20, 0).labels());
        assertFalse(Arrays.equals(a.pixels(), s.generate(20, 1).pixels()));
        assertFalse(Arrays.equals(a.pixels(), new Synthetic(3, 8, 10, 5).generate(20, 0).pixels()));
        assertEquals(3, a.channels());
        assertEquals(8, a.height());
        for (int count : s.generate(2_000, 2).classCounts()) assertTrue(count > 150, "class count " + count);
    }

    /** Nearest class centroid on per-channel means, fitted on train, scored on test. */
    @Test
    void learnableFromChannelMeans() {
        for (int channels : new int[] {1, 3}) {
            ImageDataset d = new Synthetic(channels, 12, 10, 1).dataset(1_000, 500, HoldOut.none());
            int k = d.classes();
            double[][] centroid = new double[k][channels];
            int[] n = new int[k];
            for (int i = 0; i < d.train().count(); i++) {
                double[] m = means(d.train(), i);
                int label = d.train().labels()[i];
                n[label]++;
                for (int c = 0; c < channels; c++) centroid[label][c] += m[c];
            }
            for (int j = 0; j < k; j++) for (int c = 0; c < channels; c++) centroid[j][c] /= n[j];
            int correct = 0;
            for (int i = 0; i < d.test().count(); i++) {
                double[] m = means(d.test(), i);
                int best = 0;
                double bestDist = Double.MAX_VALUE;
                for (int j = 0; j < k; j++) {
                    double dist = 0;
                    for (int c = 0; c < channels; c++) dist += (m[c] - centroid[j][c]) * (m[c] - centroid[j][c]);
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = j;
                    }
                }
                if (best == d.test().labels()[i]) correct++;
            }
            double accuracy = correct / (double) d.test().count();
            assertTrue(accuracy >= 0.9, channels + " channels: nearest-centroid accuracy " + accuracy);
        }
    }

    private static double[] means(ImageSplit split, int i) {
        int plane = split.height() * split.width();
        double[] m = new double[split.channels()];
        for (int c = 0; c < m.length; c++) {
            for (int p = 0; p < plane; p++) m[c] += split.images()[(i * m.length + c) * plane + p];
            m[c] /= plane;
        }
        return m;
    }
}
