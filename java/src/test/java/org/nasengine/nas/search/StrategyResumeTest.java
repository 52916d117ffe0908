package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Curriculum;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.space.RnnCellSpace;
import org.nasengine.nas.strategy.BayesOptStrategy;
import org.nasengine.nas.strategy.EvolutionStrategy;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.strategy.SmboStrategy;
import org.nasengine.nas.strategy.Strategy;

/**
 * Every strategy on every space: the same seed gives the same trials, and a search killed mid-way
 * and resumed gives exactly the trials of an uninterrupted one.
 */
class StrategyResumeTest {
    private static final Curriculum MACRO = new Curriculum(2, 1, 4, 3);
    private static final int BUDGET = 12, PER_UPDATE = 3;

    /** Stands in for kill -9: escapes every handler, as the process would simply vanish. */
    private static final class Killed extends Error {}

    private record Setup(java.util.function.IntFunction<DecisionSpace> spaces, DecisionSpace largest) {}

    private static Setup setup(String space) {
        return switch (space) {
            case "nb201" -> { Nb201Space s = Nb201Space.benchmark(); yield new Setup(i -> s, s); }
            case "nasnet" -> { NasNetSpace s = new NasNetSpace(2, 1, 8); yield new Setup(i -> s, s); }
            case "rnn-cell" -> { RnnCellSpace s = new RnnCellSpace(3); yield new Setup(i -> s, s); }
            default -> new Setup(i -> new MacroCnnSpace(MACRO.layersAt(i), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2}),
                    new MacroCnnSpace(3, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2}));
        };
    }

    private static Function<Backend, Strategy> strategy(String name, DecisionSpace largest) {
        return switch (name) {
            case "evolution" -> be -> new EvolutionStrategy(largest, 4, 2, EvolutionStrategy.Selection.REGULARIZED, 5);
            case "bo" -> be -> new BayesOptStrategy(largest, 4, BayesOptStrategy.Acquisition.EI, 2, 30, 5);
            case "smbo" -> be -> new SmboStrategy(be, largest, 4, 30, 4, 0.5, 5);
            default -> be -> new ReinforceStrategy(be, largest, 1, 8, 6e-3f, 0.9, 1e-4, true, 5);
        };
    }

    private static ChildResult fake(Architecture arch) {
        double r = 50 + (arch.key().hashCode() & 0xffff) / 655.36; // a percentage scale
        return new ChildResult(r, r, 1, Double.NaN, 0, "ok", null, r / 2);
    }

    private static List<Trial> search(Path out, Setup setup, Function<Backend, Strategy> make, ChildEvaluator eval) throws Exception {
        try (JavaBackend be = new JavaBackend(); FolderStore store = new FolderStore(out)) {
            return new SearchLoop(store, make.apply(be), setup.spaces(), List.of(eval), BUDGET, PER_UPDATE, false, 5,
                    new SearchLoop.Listener() {}).run();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evolution/nb201", "evolution/macro-cnn", "evolution/nasnet", "evolution/rnn-cell", "bo/nb201",
            "bo/macro-cnn", "bo/nasnet", "bo/rnn-cell", "smbo/nb201", "smbo/macro-cnn", "smbo/nasnet", "smbo/rnn-cell",
            "reinforce/nb201"})
    void killedSearchResumesToTheSameTrials(String which, @TempDir Path dir) throws Exception {
        String name = which.split("/")[0];
        Setup setup = setup(which.split("/")[1]);
        Function<Backend, Strategy> make = strategy(name, setup.largest());
        List<Trial> reference = search(dir.resolve("ref"), setup, make, (id, arch, seed) -> fake(arch));
        List<Trial> again = search(dir.resolve("again"), setup, make, (id, arch, seed) -> fake(arch));
        assertSame(reference, again, which + ": same seed");

        Path out = dir.resolve("killed");
        AtomicInteger trained = new AtomicInteger();
        assertThrows(Killed.class, () -> search(out, setup, make, (id, arch, seed) -> {
            if (trained.incrementAndGet() > 7) throw new Killed(); // dies in the third round
            return fake(arch);
        }));
        search(out, setup, make, (id, arch, seed) -> fake(arch));
        assertSame(reference, TrialLog.read(out.resolve("trials.jsonl")), which + ": killed and resumed");
    }

    private static void assertSame(List<Trial> expected, List<Trial> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": trials");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).arch(), actual.get(i).arch(), what + ": trial " + i);
            assertEquals(expected.get(i).status(), actual.get(i).status(), what + ": trial " + i);
            assertEquals(expected.get(i).reward(), actual.get(i).reward(), 0, what + ": trial " + i);
        }
    }
}
