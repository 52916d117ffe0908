package org.nasengine.nas.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;

class ReinforceStrategyTest {
    private static final MacroCnnSpace SPACE = new MacroCnnSpace(3, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1});

    /** A toy reward: the share of layers with a 5-wide kernel height, plus the share of anchor bits set. */
    private static double reward(Proposal p) {
        var layers = ((MacroCnn) p.arch()).layers();
        double kh5 = 0, inputs = 0;
        for (var l : layers) {
            if (l.kh() == 5) kh5++;
            inputs += l.inputs().size();
        }
        return 0.5 * kh5 / layers.size() + 0.5 * inputs / 3.0; // 3 anchor bits in 3 layers
    }

    private static double meanReward(Strategy s, int n) {
        double sum = 0;
        for (Proposal p : s.propose(SPACE, n)) sum += reward(p);
        return sum / n;
    }

    @Test
    void policyGradientRaisesTheRewardRandomSearchDoesNot() {
        try (JavaBackend be = new JavaBackend()) {
            ReinforceStrategy rl = new ReinforceStrategy(be, SPACE, 1, 16, 0.05f, 0.8, 0.0, 7);
            RandomStrategy random = new RandomStrategy(7);
            double before = meanReward(rl, 40), randomBefore = meanReward(random, 40);
            for (int round = 0; round < 40; round++) {
                for (Strategy s : List.of(rl, random)) {
                    List<Proposal> batch = s.propose(SPACE, 4);
                    s.update(batch, batch.stream().mapToDouble(ReinforceStrategyTest::reward).toArray());
                }
            }
            double after = meanReward(rl, 40), randomAfter = meanReward(random, 40);
            assertTrue(after > before + 0.25, "REINFORCE should climb the toy reward: " + before + " -> " + after);
            assertTrue(Math.abs(randomAfter - randomBefore) < 0.2, "random search must not learn: " + randomBefore + " -> " + randomAfter);
        }
    }

    @Test
    void normalisedAdvantageMakesTheSearchIndependentOfTheRewardScale() {
        try (JavaBackend be = new JavaBackend()) {
            ReinforceStrategy unit = new ReinforceStrategy(be, SPACE, 1, 16, 0.01f, 0.9, 1e-4, true, 5);
            ReinforceStrategy percent = new ReinforceStrategy(be, SPACE, 1, 16, 0.01f, 0.9, 1e-4, true, 5);
            int differ = 0;
            for (int round = 0; round < 15; round++) {
                List<Proposal> a = unit.propose(SPACE, 4), b = percent.propose(SPACE, 4);
                double[] ra = new double[4], rb = new double[4];
                for (int i = 0; i < 4; i++) {
                    if (!java.util.Arrays.equals(a.get(i).tokens(), b.get(i).tokens())) differ++;
                    ra[i] = reward(a.get(i));
                    rb[i] = 100 * reward(b.get(i)) + 40; // the same ranking on a percentage scale
                }
                unit.update(a, ra);
                percent.update(b, rb);
            }
            assertEquals(0, differ, "rewards r and 100 r + 40 must steer the controller the same way");
            double climbed = meanReward(unit, 40);
            assertTrue(climbed > 0.5, "and it still learns: " + climbed);
        }
    }

    @Test
    void stateRoundTripReproducesTheNextProposals() {
        try (JavaBackend be = new JavaBackend()) {
            ReinforceStrategy a = new ReinforceStrategy(be, SPACE, 2, 12, 6e-4f, 0.95, 1e-3, 1);
            List<Proposal> first = a.propose(SPACE, 3);
            a.update(first, new double[] {0.1, 0.5, 0.9});
            var saved = a.state();
            List<Proposal> next = a.propose(SPACE, 3);

            ReinforceStrategy b = new ReinforceStrategy(be, SPACE, 2, 12, 6e-4f, 0.95, 1e-3, 99);
            b.restore(saved);
            List<Proposal> again = b.propose(SPACE, 3);
            for (int i = 0; i < 3; i++) assertArrayEquals(next.get(i).tokens(), again.get(i).tokens());
            assertEquals(a.baseline(), b.baseline(), 0);
        }
    }
}
