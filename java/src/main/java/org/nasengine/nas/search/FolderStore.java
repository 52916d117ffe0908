package org.nasengine.nas.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A search's folder: {@code trials.jsonl} (appended and fsynced per child, see {@link TrialLog})
 * and {@code checkpoint.json} (written atomically after each update). The checkpoint it replaces
 * is kept as {@code checkpoint.prev.json}: a current one found damaged falls back to it (the
 * round after it is then replayed from the log, nothing trained again), and says so through
 * {@link #fallbackNote()}.
 *
 * <p>Every write goes through one lock, so {@link #stopWrites} can hold the folder still at a
 * consistent point (no record or checkpoint half written) when the process is being stopped.
 */
public final class FolderStore implements SearchStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final ReentrantLock writes = new ReentrantLock();
    private TrialLog log;
    private boolean currentIsGood; // checkpoint.json is one this store read or wrote (not a damaged one it fell back from)
    private String fallbackNote;
    private int appended;

    public FolderStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path trialsFile() { return dir.resolve("trials.jsonl"); }

    public Path checkpointFile() { return dir.resolve("checkpoint.json"); }

    public Path previousCheckpointFile() { return dir.resolve("checkpoint.prev.json"); }

    @Override
    public List<Trial> trials() throws IOException {
        return TrialLog.read(trialsFile());
    }

    /**
     * The last good checkpoint: checkpoint.json, or checkpoint.prev.json where the current one is
     * damaged or missing (see {@link #fallbackNote()}); null when there is neither (a search killed
     * in its first round restarts it, taking the children already logged from the log).
     */
    @Override
    public JsonNode checkpoint() throws IOException {
        Path current = checkpointFile(), prev = previousCheckpointFile();
        String damage = null;
        if (Files.exists(current)) {
            byte[] bytes = Files.readAllBytes(current);
            try {
                JsonNode cp = parseCheckpoint(bytes);
                currentIsGood = true;
                return cp;
            } catch (IOException e) {
                damage = e.getMessage();
            }
        }
        if (!Files.exists(prev)) {
            if (damage != null) throw new DamagedFileException(current, 0, damage + "; there is no " + prev.getFileName() + " to fall back to");
            return null;
        }
        byte[] bytes = Files.readAllBytes(prev);
        JsonNode cp;
        try {
            cp = parseCheckpoint(bytes);
        } catch (IOException e) {
            throw new DamagedFileException(current, 0, (damage != null ? damage : "missing") + ", and " + prev.getFileName()
                    + " is damaged too (" + e.getMessage() + ")");
        }
        currentIsGood = false;
        fallbackNote = current.getFileName() + (damage != null ? " is damaged (" + damage + ")" : " is missing")
                + ": resuming from " + prev.getFileName() + " (trial " + cp.get("nextTrialId").asInt()
                + "); the children logged after it are taken from " + trialsFile().getFileName() + ", not trained again";
        return cp;
    }

    /** Why the checkpoint read came from checkpoint.prev.json, or null when it did not. */
    public String fallbackNote() {
        return fallbackNote;
    }

    private static JsonNode parseCheckpoint(byte[] bytes) throws IOException {
        JsonNode cp;
        if (bytes.length == 0) throw new IOException("empty");
        try {
            cp = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(DamagedFileException.jsonProblem(e));
        }
        if (cp == null || !cp.isObject()) throw new IOException("not a JSON object");
        if (!cp.path("nextTrialId").canConvertToInt() || !cp.path("nextTrialId").isIntegralNumber() || cp.get("nextTrialId").asInt() < 0)
            throw new IOException("no trial count (nextTrialId)");
        if (!cp.path("strategy").isObject()) throw new IOException("no strategy state");
        return cp;
    }

    @Override
    public void append(Trial trial) throws IOException {
        writes.lock();
        try {
            if (log == null) log = TrialLog.open(trialsFile()); // cuts a torn last line first
            log.append(trial);
            appended++;
        } finally {
            writes.unlock();
        }
    }

    /**
     * Keeps the checkpoint being replaced as checkpoint.prev.json (a hard link, renamed into place:
     * no copy), then writes the new one atomically. Either step may be cut short by a kill: the
     * folder then holds the old pair, or the old checkpoint under both names.
     */
    @Override
    public void checkpoint(JsonNode state) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
        writes.lock();
        try {
            if (currentIsGood && Files.exists(checkpointFile())) keepAsPrevious();
            write(checkpointFile(), bytes);
            currentIsGood = true;
        } finally {
            writes.unlock();
        }
    }

    private void keepAsPrevious() throws IOException {
        AtomicFiles.keepAsPrevious(checkpointFile(), previousCheckpointFile());
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records appended by this store (this process). */
    public int appended() {
        writes.lock();
        try {
            return appended;
        } finally {
            writes.unlock();
        }
    }

    /**
     * Waits (at most {@code timeoutMillis}) for a write in progress to end, then blocks every later
     * write for good: for a process about to exit, so that it leaves the folder at a consistent point.
     * Returns whether it got hold of the folder in time.
     */
    public boolean stopWrites(long timeoutMillis) {
        try {
            return writes.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        writes.lock();
        try {
            if (log != null) log.close();
            log = null;
        } finally {
            writes.unlock();
        }
    }
}
