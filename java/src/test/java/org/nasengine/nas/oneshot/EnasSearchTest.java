package org.nasengine.nas.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.NasNetSubspace;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.tensor.Tensor;

/**
 * ENAS on tiny supernets (nb201 at C = 2, and a 3-layer macro CNN) on 8x8 synthetic images, on the
 * reference backend: the phases alternate and the controller learns from rewards; a search killed
 * after a phase resumes from it and ends with the same choice as one never interrupted; a diverging
 * search stops and keeps its last good checkpoint.
 */
class EnasSearchTest {
    private static final class Killed extends Error {}

    private static final ImageDataset DATA = new Synthetic(1, 8, 3, 5).dataset(160, 20, new HoldOut(0.25, 32, 5));
    private static final EnasConfig CFG = new EnasConfig(2, 32, 0.05f, 0.001f, 0.9f, 1e-4f, 5f, 2, 2, 6, false, 3);

    private static EnasSearch.Result search(Path dir, boolean macro, EnasSearch.Listener listener) throws Exception {
        try (JavaBackend be = new JavaBackend();
             SharedModel model = macro ? new MacroSupernet(3, new int[] {1, 3}, new int[] {2, 4}, 1, 8, 8, 3, be, 3)
                     : new Nb201Supernet(2, 1, 1, 8, 8, 3, be, 3)) {
            DecisionSpace space = macro ? new MacroCnnSpace(3, new int[] {1, 3}, new int[] {2, 4}, new int[] {1, 2}) : new Nb201Space(2, 1);
            ReinforceStrategy controller = new ReinforceStrategy(be, space, 1, 8, 3.5e-3f, 0.9, 1e-4, 3);
            EnasSearch s = new EnasSearch(be, model, space, controller, DATA.train(), DATA.validation(), CFG, new OneShotStore(dir), listener);
            try {
                return s.run();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void phasesAlternateAndTheBestChildIsChosen(@TempDir Path dir) throws Exception {
        for (boolean macro : new boolean[] {false, true}) {
            List<String> phases = new ArrayList<>();
            EnasSearch.Result r = search(dir.resolve(macro ? "macro" : "nb201"), macro, new EnasSearch.Listener() {
                @Override
                public void step(String phase, long done, long total, double value) {
                    if (phases.isEmpty() || !phases.getLast().equals(phase)) phases.add(phase);
                }
            });
            assertTrue(r.ok(), r.error());
            assertEquals(List.of("weights", "controller", "weights", "controller"), phases);
            assertEquals(macro ? "macro-cnn" : "nb201", r.best().space());
            assertTrue(r.bestScore() >= 0 && r.bestScore() <= 1, "score " + r.bestScore());
            assertEquals(2, Files.readAllLines(dir.resolve((macro ? "macro" : "nb201") + "/search.jsonl")).size());
        }
    }

    @Test
    void microSearchSamplesNasNetCellsTheSupernetRuns(@TempDir Path dir) throws Exception {
        List<String> phases = new ArrayList<>();
        EnasSearch.Result r;
        try (JavaBackend be = new JavaBackend(); NasNetSupernet model = new NasNetSupernet(2, 2, 1, 1, 8, 8, 3, be, 3)) {
            DecisionSpace space = NasNetSubspace.summing(new NasNetSpace(2, 2, 8), NasNetEdges.DARTS_OPS);
            EnasSearch s = new EnasSearch(be, model, space, new ReinforceStrategy(be, space, 1, 8, 3.5e-3f, 0.9, 1e-4, 3), DATA.train(),
                    DATA.validation(), CFG, new OneShotStore(dir), new EnasSearch.Listener() {
                        @Override
                        public void step(String phase, long done, long total, double value) {
                            if (phases.isEmpty() || !phases.getLast().equals(phase)) phases.add(phase);
                        }
                    });
            r = s.run();
            s.close();
        }
        assertTrue(r.ok(), r.error());
        assertEquals(List.of("weights", "controller", "weights", "controller"), phases);
        NasNet best = (NasNet) r.best();
        assertEquals(2, best.repeats(), "decoded in the network it is retrained in");
        for (NasNet.Block b : best.normal()) {
            assertEquals(NasNet.Combine.ADD, b.combine());
            assertTrue(NasNetEdges.DARTS_OPS.containsAll(b.ops()), b.toString());
        }
    }

    @Test
    void killedSearchResumesAfterItsLastPhase(@TempDir Path dir) throws Exception {
        EnasSearch.Result reference = search(dir.resolve("ref"), true, new EnasSearch.Listener() {});
        Path out = dir.resolve("killed");
        assertThrows(Killed.class, () -> search(out, true, new EnasSearch.Listener() {
            @Override
            public void checkpointed(int phasesDone) {
                if (phasesDone == 3) throw new Killed(); // after epoch 2's weights, before its controller phase
            }
        }));
        List<String> phases = new ArrayList<>();
        EnasSearch.Result resumed = search(out, true, new EnasSearch.Listener() {
            @Override
            public void step(String phase, long done, long total, double value) {
                if (phases.isEmpty() || !phases.getLast().equals(phase)) phases.add(phase);
            }
        });
        assertTrue(resumed.ok(), resumed.error());
        assertEquals(List.of("controller"), phases, "only the phase left ran");
        assertEquals(ArchitectureCodec.toCompactJson(reference.best()), ArchitectureCodec.toCompactJson(resumed.best()));
        assertEquals(reference.bestScore(), resumed.bestScore(), 1e-9);
    }

    @Test
    void divergingSearchStopsAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        byte[][] good = new byte[1][];
        EnasSearch.Result r;
        try (JavaBackend be = new JavaBackend(); Nb201Supernet model = new Nb201Supernet(2, 1, 1, 8, 8, 3, be, 3)) {
            DecisionSpace space = new Nb201Space(2, 1);
            EnasSearch s = new EnasSearch(be, model, space, new ReinforceStrategy(be, space, 1, 8, 3.5e-3f, 0.9, 1e-4, 3), DATA.train(),
                    DATA.validation(), CFG, new OneShotStore(dir), new EnasSearch.Listener() {
                        @Override
                        public void checkpointed(int phasesDone) {
                            if (phasesDone != 2) return;
                            try {
                                good[0] = Files.readAllBytes(dir.resolve("checkpoint.json"));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            for (Tensor w : model.parameters()) { // every weight blown up, as by too large a step
                                float[] nan = new float[(int) w.size()];
                                Arrays.fill(nan, Float.NaN);
                                w.set(nan);
                            }
                        }
                    });
            r = s.run();
            s.close();
        }
        assertEquals("diverged", r.status());
        assertTrue(r.error().contains("NaN") && r.error().contains("last good"), r.error());
        assertArrayEquals(good[0], Files.readAllBytes(dir.resolve("checkpoint.json")));
    }
}
