package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * The same seed, backend and thread count give the same trials.jsonl, reward for reward to the
 * last digit (only the seconds differ), on the native cpu backend with two threads and
 * --deterministic (without it, a convolution's weight gradient may differ in its last bits; see
 * NativeDeterminismTest).
 */
class SearchReproducibilityTest {

    private static List<Trial> search(Path out) throws Exception {
        SearchFolderTest.Run r = SearchFolderTest.run("search", "--strategy", "reinforce", "--dataset", "synthetic", "--validation", "200", "--budget", "6",
                "--children-per-update", "3", "--train-subset", "400", "--layers", "2", "--max-layers", "3", "--grow-every", "3",
                "--batch", "16", "--promote", "0", "--final-epochs", "0", "--device", "cpu", "--threads", "2", "--deterministic",
                "--seed", "11", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        return TrialLog.read(out.resolve("trials.jsonl")).stream()
                .map(t -> new Trial(t.id(), t.step(), t.strategy(), t.arch(), t.reward(), t.valMetric(), t.params(), t.flops(), 0,
                        t.status(), t.error(), t.report(), t.rung()))
                .toList();
    }

    @Test
    void twoRunsWithTheSameSeedAndThreadsGiveTheSameTrials(@TempDir Path dir) throws Exception {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        int threadsBefore = NativeBackend.threads();
        try {
            List<Trial> a = search(dir.resolve("a")), b = search(dir.resolve("b"));
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) assertEquals(a.get(i), b.get(i), "trial " + i + " (seconds aside)");
        } finally {
            NativeBackend.setThreads(threadsBefore);
            NativeBackend.setDeterministic(false);
        }
    }
}
