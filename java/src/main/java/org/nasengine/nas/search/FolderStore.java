package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A search's folder: {@code trials.jsonl} (appended and fsynced per child, see {@link TrialLog})
 * and {@code checkpoint.json} (written atomically after each update).
 */
public final class FolderStore implements SearchStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private TrialLog log;

    public FolderStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path trialsFile() { return dir.resolve("trials.jsonl"); }

    public Path checkpointFile() { return dir.resolve("checkpoint.json"); }

    @Override
    public List<Trial> trials() throws IOException {
        List<Trial> logged = TrialLog.read(trialsFile());
        if (!logged.isEmpty() && !Files.exists(checkpointFile()))
            throw new IOException(trialsFile() + " has trials but " + checkpointFile() + " is missing: not a resumable search");
        return logged;
    }

    @Override
    public JsonNode checkpoint() throws IOException {
        return Files.exists(checkpointFile()) ? JSON.readTree(checkpointFile().toFile()) : null;
    }

    @Override
    public synchronized void append(Trial trial) throws IOException {
        if (log == null) log = TrialLog.open(trialsFile()); // cuts a torn last line first
        log.append(trial);
    }

    @Override
    public void checkpoint(JsonNode state) throws IOException {
        AtomicFiles.write(checkpointFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }

    @Override
    public synchronized void close() throws IOException {
        if (log != null) log.close();
    }
}
