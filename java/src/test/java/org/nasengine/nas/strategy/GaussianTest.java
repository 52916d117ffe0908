package org.nasengine.nas.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.nas.space.Nb201Space;

class GaussianTest {
    @Test
    void normalFunctionsMatchTables() {
        assertEquals(0.975, Gaussian.cdf(1.959963984540054), 1e-7);
        assertEquals(0.5, Gaussian.cdf(0), 1e-7);
        assertEquals(1.959963984540054, Gaussian.quantile(0.975), 1e-8);
        assertEquals(-2.326347874040841, Gaussian.quantile(0.01), 1e-8);
        assertEquals(0.3989422804014327, Gaussian.pdf(0), 1e-15);
    }

    @Test
    void normalScoresDependOnlyOnRanks() {
        Nb201Space space = Nb201Space.benchmark();
        Observations a = new Observations(space), b = new Observations(space);
        double[] rewards = {0.91, 0.5, Double.NaN, 0.91, 0.7};
        for (int i = 0; i < rewards.length; i++) {
            int[] t = {i, 0, 0, 0, 0, 0};
            a.add(Proposal.of(space, t), rewards[i]);
            b.add(Proposal.of(space, t), Double.isNaN(rewards[i]) ? Double.NaN : 100 * rewards[i] - 7); // another scale
        }
        assertArrayEquals(a.normalScores(), b.normalScores(), 0);
        double[] s = a.normalScores();
        assertEquals(s[0], s[3], 0, "ties share their score");
        assertEquals(Gaussian.quantile(0.5 / 5), s[2], 1e-12, "a failed child (NaN) ranks lowest");
    }

    @Test
    void processInterpolatesItsDataAndIsUnsureFarFromIt() {
        List<int[]> x = List.of(new int[] {0, 0, 0}, new int[] {1, 1, 1});
        GaussianProcess gp = GaussianProcess.fit(x, new double[] {1, -1}, new double[] {1}, new double[] {1e-6});
        assertEquals(1, gp.predict(new int[] {0, 0, 0})[0], 1e-4);
        assertEquals(0, gp.predict(new int[] {0, 0, 0})[1], 1e-2);
        double[] far = gp.predict(new int[] {2, 2, 2});
        assertEquals(0, far[0], 1e-9, "equally far from a 1 and a -1");
        assertEquals(1, far[1], 0.01, "three tokens from every point: almost the prior's spread");
    }
}
