package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Curriculum;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.strategy.RandomStrategy;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.strategy.Strategy;

/**
 * A search folder's checkpoint pair and lock, and a search whose writes fail part way (a full
 * disk) or whose folder holds only part of a round: each resumes to the same trials as a search
 * never disturbed, training no logged child again.
 */
class FolderStoreTest {
    private static final Curriculum CURRICULUM = new Curriculum(2, 1, 4, 4);

    private static MacroCnnSpace space(int sample) {
        return new MacroCnnSpace(CURRICULUM.layersAt(sample), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1});
    }

    private static ChildResult fakeTrain(Architecture arch) {
        double r = (arch.key().hashCode() & 0xffff) / 65536.0;
        return new ChildResult(r, r, 100, 1e6, 0.01, "ok", null, Double.NaN);
    }

    private static ObjectNode state(int next) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("nextTrialId", next);
        o.putObject("strategy").put("round", next);
        return o;
    }

    /** A store whose n-th append, or m-th checkpoint, fails as a write to a full disk does. */
    private static final class FullDisk implements SearchStore {
        final FolderStore inner;
        final int failAppend, failCheckpoint;
        int appends, checkpoints;

        FullDisk(Path dir, int failAppend, int failCheckpoint) throws IOException {
            inner = new FolderStore(dir);
            this.failAppend = failAppend;
            this.failCheckpoint = failCheckpoint;
        }

        @Override public List<Trial> trials() throws IOException { return inner.trials(); }
        @Override public JsonNode checkpoint() throws IOException { return inner.checkpoint(); }
        @Override public void append(Trial t) throws IOException {
            if (++appends == failAppend) throw new IOException("No space left on device");
            inner.append(t);
        }
        @Override public void checkpoint(JsonNode s) throws IOException {
            if (++checkpoints == failCheckpoint) throw new IOException("No space left on device");
            inner.checkpoint(s);
        }
        @Override public void close() throws IOException { inner.close(); }
    }

    private static List<Trial> search(SearchStore store, JavaBackend be, ChildEvaluator eval) throws IOException {
        Strategy s = new ReinforceStrategy(be, space(100), 1, 8, 6e-4f, 0.9, 0, 42);
        return new SearchLoop(store, s, FolderStoreTest::space, List.of(eval), 12, 4, false, 42, new SearchLoop.Listener() {}).run();
    }

    @Test
    void theReplacedCheckpointIsKeptAndADamagedOneFallsBackToIt(@TempDir Path dir) throws Exception {
        FolderStore store = new FolderStore(dir);
        assertNull(store.checkpoint(), "a new folder has none");
        store.checkpoint(state(4));
        assertTrue(Files.notExists(store.previousCheckpointFile()), "nothing to keep yet");
        store.checkpoint(state(8));
        store.checkpoint(state(12));
        assertEquals(12, new FolderStore(dir).checkpoint().get("nextTrialId").asInt());
        assertEquals(8, objectOf(store.previousCheckpointFile()).get("nextTrialId").asInt(), "the one before is kept");
        FolderStore reader = new FolderStore(dir);
        byte[] current = Files.readAllBytes(store.checkpointFile());
        Files.write(store.checkpointFile(), java.util.Arrays.copyOf(current, current.length / 2));
        assertEquals(8, reader.checkpoint().get("nextTrialId").asInt(), "falls back to checkpoint.prev.json");
        assertTrue(reader.fallbackNote().startsWith("checkpoint.json is damaged (cut short"), reader.fallbackNote());
        assertTrue(reader.fallbackNote().contains("resuming from checkpoint.prev.json (trial 8)"), reader.fallbackNote());

        reader.checkpoint(state(12)); // the damaged one is not kept as the previous one
        assertEquals(8, objectOf(store.previousCheckpointFile()).get("nextTrialId").asInt());
        assertEquals(12, objectOf(store.checkpointFile()).get("nextTrialId").asInt());

        Files.delete(store.checkpointFile());
        FolderStore missing = new FolderStore(dir);
        assertEquals(8, missing.checkpoint().get("nextTrialId").asInt());
        assertTrue(missing.fallbackNote().startsWith("checkpoint.json is missing"), missing.fallbackNote());

        Files.writeString(store.checkpointFile(), "{\"nextTrialId\": 4}");
        Files.writeString(store.previousCheckpointFile(), "");
        DamagedFileException e = assertThrows(DamagedFileException.class, () -> new FolderStore(dir).checkpoint());
        assertEquals("no strategy state, and checkpoint.prev.json is damaged too (empty)", e.problem());
    }

    private static JsonNode objectOf(Path file) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    }

    @Test
    void oneLockPerFolderNamingItsHolder(@TempDir Path dir) throws Exception {
        try (FolderLock lock = FolderLock.acquire(dir)) {
            FolderLock.InUseException e = assertThrows(FolderLock.InUseException.class, () -> FolderLock.acquire(dir));
            assertEquals(ProcessHandle.current().pid(), e.pid());
            assertEquals(dir + " is in use by another search (pid " + ProcessHandle.current().pid() + ")", e.getMessage());
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(FolderLock.FILE)));
        }
        try (FolderLock again = FolderLock.acquire(dir)) { // released: free again
            assertNotNull(again);
        }
    }

    @Test
    void writesThatFailPartWayLeaveAFolderThatResumesToTheSameTrials(@TempDir Path dir) throws Exception {
        try (JavaBackend be = new JavaBackend()) {
            List<Trial> reference;
            try (FolderStore store = new FolderStore(dir.resolve("ref"))) {
                reference = search(store, be, (id, arch, seed) -> fakeTrain(arch));
            }
            // {append that fails, checkpoint that fails}: a child's record mid-round; the second round's checkpoint
            int[][] faults = {{7, 0}, {0, 2}, {1, 0}};
            for (int[] f : faults) {
                Path out = dir.resolve("fail-" + f[0] + "-" + f[1]);
                try (FullDisk store = new FullDisk(out, f[0], f[1])) {
                    IOException e = assertThrows(IOException.class, () -> search(store, be, (id, arch, seed) -> fakeTrain(arch)));
                    assertEquals("No space left on device", e.getMessage());
                }
                long trainedBefore = TrialLog.read(out.resolve("trials.jsonl")).stream().filter(Trial::trained).count();
                AtomicInteger trained = new AtomicInteger();
                try (FolderStore store = new FolderStore(out)) {
                    search(store, be, (id, arch, seed) -> {
                        trained.incrementAndGet();
                        return fakeTrain(arch);
                    });
                }
                List<Trial> logged = TrialLog.read(out.resolve("trials.jsonl"));
                assertEquals(reference.size(), logged.size(), java.util.Arrays.toString(f));
                for (int i = 0; i < logged.size(); i++) {
                    assertEquals(i, logged.get(i).id());
                    assertEquals(reference.get(i).arch(), logged.get(i).arch(), "trial " + i);
                    assertEquals(reference.get(i).reward(), logged.get(i).reward(), 0, "trial " + i);
                }
                assertEquals(reference.stream().filter(Trial::trained).count() - trainedBefore, trained.get(),
                        "children logged before the failure are not trained again");
            }
        }
    }

    @Test
    void aLogFromAnotherSearchIsRefusedNotMixedIn(@TempDir Path dir) throws Exception {
        try (JavaBackend be = new JavaBackend(); FolderStore store = new FolderStore(dir)) {
            new SearchLoop(store, new RandomStrategy(7), FolderStoreTest::space, List.of((id, arch, seed) -> fakeTrain(arch)), 6, 3,
                    false, 7, new SearchLoop.Listener() {}).run();
            Files.delete(store.checkpointFile());
            Files.delete(store.previousCheckpointFile()); // as --repair leaves it: the search replays from its start
            SearchStateException e = assertThrows(SearchStateException.class, () -> search(store, be, (id, arch, seed) -> fakeTrain(arch)));
            assertTrue(e.getMessage().contains("the log and the checkpoint are not of the same search"), e.getMessage());
        }
    }
}
