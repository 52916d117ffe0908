package org.nasengine.nas.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.nas.search.AtomicFiles;

/**
 * The folder of a weight-sharing search: {@code checkpoint.json} (every weight, alpha, controller
 * and optimizer state and the position, written atomically) and {@code search.jsonl}, one line per
 * epoch, rewritten atomically from the checkpoint's own history so that the two never disagree: a
 * search killed between them resumes from the checkpoint and the log follows it.
 */
public final class OneShotStore {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public OneShotStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path dir() { return dir; }
    public Path checkpointFile() { return dir.resolve("checkpoint.json"); }
    public Path logFile() { return dir.resolve("search.jsonl"); }

    /** The last checkpoint, or null for a fresh search. */
    public ObjectNode load() throws IOException {
        if (!Files.exists(checkpointFile())) return null;
        try {
            return (ObjectNode) JSON.readTree(checkpointFile().toFile());
        } catch (IOException | ClassCastException e) {
            throw new IOException(checkpointFile() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes the checkpoint, then the log of its {@code history} array. */
    public void save(ObjectNode checkpoint) throws IOException {
        AtomicFiles.write(checkpointFile(), JSON.writeValueAsBytes(checkpoint));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        for (JsonNode line : history(checkpoint)) log.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(logFile(), log.toByteArray());
    }

    static List<JsonNode> history(JsonNode checkpoint) {
        List<JsonNode> out = new ArrayList<>();
        if (checkpoint != null && checkpoint.has("history")) checkpoint.get("history").forEach(out::add);
        return out;
    }
}
