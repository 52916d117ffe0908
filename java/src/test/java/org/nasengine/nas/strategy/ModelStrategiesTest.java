package org.nasengine.nas.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.search.MemoryStore;
import org.nasengine.nas.search.SearchLoop;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Nb201Space;

/** Evolution, bo and smbo on a toy landscape over the 15,625 nb201 cells: each must beat random search. */
class ModelStrategiesTest {
    private static final Nb201Space SPACE = Nb201Space.benchmark();
    private static final int[] TARGET = {3, 3, 2, 1, 3, 3};
    private static final int BUDGET = 40, SEEDS = 3;

    /** A percentage-scale reward: 40 + 9 per edge matching the target, plus an interaction of the first two edges. */
    static double toy(Architecture arch) {
        int[] t = SPACE.encode(arch);
        double r = 40;
        for (int e = 0; e < t.length; e++) if (t[e] == TARGET[e]) r += 9;
        if (t[0] == TARGET[0] && t[1] == TARGET[1]) r += 3;
        return r;
    }

    private static double meanBest(LongFunction<Strategy> make) throws Exception {
        double sum = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Trial> trials = new SearchLoop(new MemoryStore(), make.apply(seed), i -> SPACE, List.of((id, arch, s) -> {
                double r = toy(arch);
                return new ChildResult(r, r, 0, Double.NaN, 0, "ok", null, Double.NaN);
            }), BUDGET, 1, false, seed, new SearchLoop.Listener() {}).run();
            sum += trials.stream().mapToDouble(Trial::reward).max().orElseThrow();
        }
        return sum / SEEDS;
    }

    @Test
    void modelBasedAndEvolutionaryStrategiesBeatRandomSearch() throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            double random = meanBest(RandomStrategy::new);
            double evolution = meanBest(seed -> new EvolutionStrategy(SPACE, 10, 3, EvolutionStrategy.Selection.REGULARIZED, seed));
            double tournament = meanBest(seed -> new EvolutionStrategy(SPACE, 10, 3, EvolutionStrategy.Selection.TOURNAMENT, seed));
            double bo = meanBest(seed -> new BayesOptStrategy(SPACE, 10, BayesOptStrategy.Acquisition.EI, 2, 50, seed));
            double ucb = meanBest(seed -> new BayesOptStrategy(SPACE, 10, BayesOptStrategy.Acquisition.UCB, 2, 50, seed));
            double smbo = meanBest(seed -> new SmboStrategy(be, SPACE, 10, 50, 8, 0, seed));
            String all = "random " + random + ", evolution " + evolution + ", tournament " + tournament + ", bo " + bo + ", ucb " + ucb
                    + ", smbo " + smbo;
            assertTrue(random < 85, "random search rarely finds 5 of 6 edges in 40 queries: " + all);
            for (double v : new double[] {evolution, tournament, bo, ucb, smbo}) assertTrue(v > random + 3, all);
            assertTrue(bo >= 97 && smbo >= 97, "the models find the target cell (97) or one edge from it: " + all);
        }
    }

    @Test
    void proposalsOfABatchAreDistinctAndNew() {
        try (JavaBackend be = new JavaBackend()) {
            for (Strategy s : List.of(new EvolutionStrategy(SPACE, 4, 2, EvolutionStrategy.Selection.REGULARIZED, 3),
                    new BayesOptStrategy(SPACE, 4, BayesOptStrategy.Acquisition.EI, 2, 50, 3), new SmboStrategy(be, SPACE, 4, 50, 8, 0, 3))) {
                Set<String> seen = new HashSet<>();
                for (int round = 0; round < 5; round++) {
                    List<Proposal> batch = s.propose(SPACE, 4);
                    double[] rewards = new double[batch.size()];
                    for (int i = 0; i < rewards.length; i++) {
                        assertTrue(seen.add(batch.get(i).arch().key()), s.name() + " proposed " + batch.get(i).arch().key() + " again");
                        rewards[i] = toy(batch.get(i).arch());
                    }
                    s.update(batch, rewards);
                }
                assertEquals(20, seen.size(), s.name());
            }
        }
    }
}
