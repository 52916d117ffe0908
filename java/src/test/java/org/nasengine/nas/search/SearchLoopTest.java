package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Curriculum;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.strategy.Strategy;

class SearchLoopTest {
    private static final Curriculum CURRICULUM = new Curriculum(2, 1, 4, 4);

    private static MacroCnnSpace space(int sample) {
        return new MacroCnnSpace(CURRICULUM.layersAt(sample), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1});
    }

    /** A deterministic stand-in for training: reward from the architecture's text. */
    private static ChildResult fakeTrain(Architecture arch) {
        double r = (arch.key().hashCode() & 0xffff) / 65536.0;
        return new ChildResult(r, r, 100, 1e6, 0.01, "ok", null, Double.NaN);
    }

    /** Stands in for kill -9: escapes every handler, as the process would simply vanish. */
    private static final class Killed extends Error {}

    private static List<Trial> search(Path out, JavaBackend be, ChildEvaluator eval) throws java.io.IOException {
        Strategy s = new ReinforceStrategy(be, space(100), 1, 8, 6e-4f, 0.9, 0, 42);
        try (FolderStore store = new FolderStore(out)) {
            return new SearchLoop(store, s, SearchLoopTest::space, List.of(eval), 12, 4, false, 42, new SearchLoop.Listener() {}).run();
        }
    }

    @Test
    void killedSearchResumesWithoutLosingOrDuplicatingTrials(@TempDir Path dir) throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            List<Trial> reference = search(dir.resolve("ref"), be, (id, arch, seed) -> fakeTrain(arch));

            Path out = dir.resolve("killed");
            AtomicInteger trained = new AtomicInteger();
            assertThrows(Killed.class, () -> search(out, be, (id, arch, seed) -> {
                if (trained.incrementAndGet() > 6) throw new Killed(); // dies in the second round
                return fakeTrain(arch);
            }));
            // a kill in the middle of writing leaves a torn line
            Files.writeString(out.resolve("trials.jsonl"), "{\"id\":6,\"st", StandardOpenOption.APPEND);

            AtomicInteger retrained = new AtomicInteger();
            List<Trial> resumed = search(out, be, (id, arch, seed) -> {
                retrained.incrementAndGet();
                return fakeTrain(arch);
            });

            List<Trial> logged = TrialLog.read(out.resolve("trials.jsonl"));
            assertEquals(reference.size(), logged.size());
            assertEquals(12, logged.stream().filter(Trial::trained).count(), "the budget counts distinct children");
            for (int i = 0; i < logged.size(); i++) {
                assertEquals(i, logged.get(i).id());
                assertEquals(reference.get(i).arch(), logged.get(i).arch(), "trial " + i + " architecture");
                assertEquals(reference.get(i).reward(), logged.get(i).reward(), 0, "trial " + i + " reward");
            }
            assertEquals(reference.size(), resumed.size());
            long trainedInReference = reference.stream().filter(Trial::trained).count();
            assertTrue(retrained.get() <= trainedInReference - 4,
                    "the 6 children recorded before the kill (round 0 and two of round 1) are not retrained: " + retrained.get());
        }
    }

    @Test
    void workersTrainARoundAtOnceWithTheSameResults(@TempDir Path dir) throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            List<Trial> one = search(dir.resolve("one"), be, (id, arch, seed) -> fakeTrain(arch));
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.CountDownLatch bothBusy = new java.util.concurrent.CountDownLatch(2);
            ChildEvaluator slow = (id, arch, seed) -> {
                threads.add(Thread.currentThread().getName());
                bothBusy.countDown();
                try {
                    bothBusy.await(5, java.util.concurrent.TimeUnit.SECONDS); // proves two children ran at the same time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return fakeTrain(arch);
            };
            Strategy s = new ReinforceStrategy(be, space(100), 1, 8, 6e-4f, 0.9, 0, 42);
            List<Trial> two;
            try (FolderStore store = new FolderStore(dir.resolve("two"))) {
                two = new SearchLoop(store, s, SearchLoopTest::space, List.of(slow, slow), 12, 4, false, 42,
                        new SearchLoop.Listener() {}).run();
            }
            assertEquals(0, bothBusy.getCount(), "two workers were busy at once");
            assertTrue(threads.size() >= 2, "children ran on " + threads);
            assertEquals(one.size(), two.size());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).arch(), two.get(i).arch(), "trial " + i);
                assertEquals(one.get(i).reward(), two.get(i).reward(), 0, "trial " + i);
                assertEquals(one.get(i).status(), two.get(i).status(), "trial " + i);
            }
        }
    }

    @Test
    void identicalArchitecturesAreTrainedOnce(@TempDir Path dir) throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            AtomicInteger calls = new AtomicInteger();
            Strategy fixed = new Strategy() { // proposes the same architecture every time
                @Override public String name() { return "fixed"; }
                @Override public List<Proposal> propose(DecisionSpace sp, int n) {
                    return java.util.Collections.nCopies(n, Proposal.of(sp, new int[sp.tokenCount()]));
                }
                @Override public void update(List<Proposal> p, double[] r) {}
                @Override public com.fasterxml.jackson.databind.JsonNode state() {
                    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                }
                @Override public void restore(com.fasterxml.jackson.databind.JsonNode state) {}
            };
            java.util.concurrent.atomic.AtomicBoolean converged = new java.util.concurrent.atomic.AtomicBoolean();
            List<Trial> trials = new SearchLoop(new MemoryStore(), fixed, i -> space(0), List.of((id, arch, seed) -> {
                calls.incrementAndGet();
                return fakeTrain(arch);
            }), 4, 4, false, 1, new SearchLoop.Listener() {
                @Override public void converged(int evaluated, int proposed) { converged.set(true); }
            }).run();
            assertEquals(1, calls.get());
            assertTrue(converged.get(), "a strategy that only repeats itself ends the search");
            long cached = trials.stream().filter(t -> t.status().equals("cached")).count();
            assertTrue(cached >= SearchLoop.MAX_REPEATS_IN_A_ROW && cached < SearchLoop.MAX_REPEATS_IN_A_ROW + 4,
                    "stops at the end of the round that reaches the limit: " + cached);
        }
    }
}
