package org.nasengine.nas.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Tensor;

/**
 * DARTS on a tiny supernet (C = 2, one cell per stage, 8x8 synthetic images, 4 steps an epoch) on
 * the reference backend, where every run is exactly repeatable: the search moves alpha and
 * checkpoints each epoch; a search killed after a checkpoint resumes from it (only the steps left)
 * to the alphas of one never interrupted (to the float32 rounding of the checkpoint: the reference
 * backend computes in double); a diverging search stops with its status and leaves the last good
 * checkpoint.
 */
class DartsSearchTest {
    /** Stands in for kill -9: escapes every handler, as the process would simply vanish. */
    private static final class Killed extends Error {}

    private static final ImageDataset DATA = new Synthetic(1, 8, 3, 5).dataset(160, 20, new HoldOut(0.25, 32, 5));

    static DartsConfig config(DartsConfig.Mode mode) {
        return DartsConfig.defaults().withMode(mode).withEpochs(3).withBatch(32).withSupernet(2, 1).withAugment(false).withArchLr(3e-2f)
                .withSeed(3);
    }

    private static DartsSearch.Result search(Path dir, DartsConfig cfg, DartsSearch.Listener listener) throws Exception {
        return search(dir, cfg, false, listener);
    }

    /** On the nb201 supernet of the config, or on a nasnet one of 2 nodes a cell, F = 2, one cell per stage. */
    private static DartsSearch.Result search(Path dir, DartsConfig cfg, boolean nasnet, DartsSearch.Listener listener) throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            DartsSearch s = nasnet
                    ? new DartsSearch(be, new NasNetSupernet(2, 2, 1, 1, 8, 8, 3, be, cfg.seed()), DATA.train(), DATA.validation(), cfg,
                            new OneShotStore(dir), listener)
                    : new DartsSearch(be, DATA.train(), DATA.validation(), cfg, new OneShotStore(dir), listener);
            try {
                return s.run();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void searchMovesAlphaAndLogsEveryEpoch(@TempDir Path dir) throws Exception {
        DartsSearch.Result r = search(dir, config(DartsConfig.Mode.PLAIN), new DartsSearch.Listener() {});
        assertTrue(r.ok(), r.error());
        assertEquals(3 * 4, r.steps());
        float[][] p = r.probs();
        assertEquals(6, p.length);
        for (float[] row : p) {
            assertEquals(1.0, row[0] + row[1] + row[2] + row[3] + row[4], 1e-5);
            assertFalse(Arrays.equals(row, new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}), "alpha never moved: " + Arrays.toString(row));
        }
        List<String> log = Files.readAllLines(dir.resolve("search.jsonl"));
        assertEquals(3, log.size());
        assertTrue(log.getLast().contains("\"epoch\":3") && log.getLast().contains("\"cell\":\"|"), log.getLast());
        assertTrue(Files.exists(dir.resolve("checkpoint.json")));
    }

    @Test
    void everyModeRuns(@TempDir Path dir) throws Exception {
        for (DartsConfig.Mode mode : DartsConfig.Mode.values()) {
            DartsSearch.Result r = search(dir.resolve(mode.cliName()), config(mode).withEpochs(1), new DartsSearch.Listener() {});
            assertTrue(r.ok(), mode + ": " + r.error());
            assertEquals(6, ((Nb201) r.found()).edges().size());
        }
        DartsSearch.Result second = search(dir.resolve("second"), config(DartsConfig.Mode.PLAIN).withEpochs(1).withSecondOrder(true),
                new DartsSearch.Listener() {});
        assertTrue(second.ok(), second.error());
        assertThrows(IllegalArgumentException.class, () -> config(DartsConfig.Mode.GDAS).withSecondOrder(true));
    }

    @Test
    void killedSearchResumesToTheSameAlphas(@TempDir Path dir) throws Exception {
        DartsConfig cfg = config(DartsConfig.Mode.PLAIN);
        DartsSearch.Result reference = search(dir.resolve("ref"), cfg, new DartsSearch.Listener() {});
        Path out = dir.resolve("killed");
        DartsSearch.Result resumed = killAndResume(out, cfg, false, 6);
        for (int e = 0; e < 6; e++) assertArrayEquals(reference.probs()[e], resumed.probs()[e], 2e-3f, "edge " + e);
        assertEquals(reference.found(), resumed.found());
        assertEquals(cells(dir.resolve("ref/search.jsonl")), cells(out.resolve("search.jsonl")));
    }

    @Test
    void workAfterTheCheckpointLeavesNoTrace(@TempDir Path dir) throws Exception {
        // GDAS: the Gumbel generator too must resume where the checkpoint left it. Both runs restore
        // epoch 1's checkpoint; the one killed later had done (and lost) two more steps.
        DartsConfig cfg = config(DartsConfig.Mode.GDAS);
        DartsSearch.Result atCheckpoint = killAndResume(dir.resolve("a"), cfg, false, 4), later = killAndResume(dir.resolve("b"), cfg, false, 6);
        for (int e = 0; e < 6; e++) assertArrayEquals(atCheckpoint.probs()[e], later.probs()[e], "edge " + e);
        assertEquals(Files.readString(dir.resolve("a/search.jsonl")).replaceAll("\"seconds\":[0-9.]+", ""),
                Files.readString(dir.resolve("b/search.jsonl")).replaceAll("\"seconds\":[0-9.]+", ""));
    }

    /** Kills the search after step {@code killAt} (4 = right after epoch 1's checkpoint), then resumes it on the same folder. */
    private static DartsSearch.Result killAndResume(Path out, DartsConfig cfg, boolean nasnet, int killAt) throws Exception {
        assertThrows(Killed.class, () -> search(out, cfg, nasnet, new DartsSearch.Listener() {
            @Override
            public void step(long step, long total, float loss) {
                if (step == killAt + (killAt % 4 == 0 ? 1 : 0)) throw new Killed(); // a kill at 4 lands after the checkpoint, at step 5
            }
        }));
        assertEquals(1, Files.readAllLines(out.resolve("search.jsonl")).size());
        long[] steps = new long[2];
        DartsSearch.Result resumed = search(out, cfg, nasnet, new DartsSearch.Listener() {
            @Override
            public void step(long step, long total, float loss) {
                if (steps[0] == 0) steps[0] = step;
                steps[1]++;
            }
        });
        assertTrue(resumed.ok(), resumed.error());
        assertArrayEquals(new long[] {5, 8}, steps, "resumed at step 5 (after epoch 1's checkpoint) and ran the 8 steps left");
        return resumed;
    }

    @Test
    void nasnetCellsAreFoundByDartsRuleAndAKilledSearchResumes(@TempDir Path dir) throws Exception {
        DartsConfig cfg = config(DartsConfig.Mode.PLAIN);
        DartsSearch.Result reference = search(dir.resolve("ref"), cfg, true, new DartsSearch.Listener() {});
        assertTrue(reference.ok(), reference.error());
        assertEquals(10, reference.probs().length, "two cells of 2 + 3 edges");
        NasNet found = (NasNet) reference.found();
        for (List<NasNet.Block> cell : List.of(found.normal(), found.reduction())) {
            assertEquals(2, cell.size());
            for (NasNet.Block b : cell) {
                assertEquals(NasNet.Combine.ADD, b.combine());
                assertNotEquals(b.inputs().get(0), b.inputs().get(1), "two distinct inputs per node");
            }
        }
        assertTrue(Files.readAllLines(dir.resolve("ref/search.jsonl")).getLast().contains("\"cell\":\"normal ["));
        DartsSearch.Result resumed = killAndResume(dir.resolve("killed"), cfg, true, 6);
        for (int e = 0; e < 10; e++) assertArrayEquals(reference.probs()[e], resumed.probs()[e], 2e-3f, "edge " + e);
        assertEquals(found, resumed.found());
    }

    @Test
    void nasnetRunsGdasAndTheSecondOrderGradient(@TempDir Path dir) throws Exception {
        DartsSearch.Result gdas = search(dir.resolve("gdas"), config(DartsConfig.Mode.GDAS).withEpochs(1), true, new DartsSearch.Listener() {});
        assertTrue(gdas.ok() && gdas.found() instanceof NasNet, gdas.error());
        DartsSearch.Result second = search(dir.resolve("second"), config(DartsConfig.Mode.PLAIN).withEpochs(1).withSecondOrder(true), true,
                new DartsSearch.Listener() {});
        assertTrue(second.ok() && second.found() instanceof NasNet, second.error());
    }

    @Test
    void divergingSearchStopsAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        byte[][] good = new byte[1][];
        DartsSearch.Result r;
        try (JavaBackend be = new JavaBackend()) {
            DartsSearch[] s = new DartsSearch[1];
            s[0] = new DartsSearch(be, DATA.train(), DATA.validation(), config(DartsConfig.Mode.PLAIN), new OneShotStore(dir),
                    new DartsSearch.Listener() {
                        @Override
                        public void checkpointed(long step) {
                            try {
                                good[0] = Files.readAllBytes(dir.resolve("checkpoint.json"));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            Tensor w = s[0].supernet().module().parameters().getFirst(); // a weight blown up, as by too large a step
                            float[] nan = new float[(int) w.size()];
                            Arrays.fill(nan, Float.NaN);
                            w.set(nan);
                        }
                    });
            r = s[0].run();
            s[0].close();
        }
        // ReLU maps NaN to 0, so the loss may stay finite: the weights are checked before every checkpoint
        assertEquals("diverged", r.status());
        assertTrue(r.error().contains("non-finite") || r.error().contains("loss became NaN"), r.error());
        assertTrue(r.error().contains("last good"), r.error());
        assertTrue(r.steps() >= 4 && r.steps() < 8, "stopped in epoch 2, before its checkpoint: " + r.steps());
        assertArrayEquals(good[0], Files.readAllBytes(dir.resolve("checkpoint.json")));
        assertNotEquals(0, good[0].length);
    }

    private static List<String> cells(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream().map(l -> l.replaceAll(".*\"cell\":\"([^\"]*)\".*", "$1")).toList();
    }
}
