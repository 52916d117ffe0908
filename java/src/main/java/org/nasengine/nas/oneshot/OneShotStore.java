package org.nasengine.nas.oneshot;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.nasengine.nas.search.DamagedFileException;

/**
 * The folder of a weight-sharing search: {@code checkpoint.json} (every weight, alpha, controller
 * and optimizer state and the position, written atomically) and {@code search.jsonl}, one line per
 * epoch, rewritten atomically from the checkpoint's own history so that the two never disagree: a
 * search killed between them resumes from the checkpoint and the log follows it.
 */
public final class OneShotStore {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    /** Whether checkpoint.json was read (or written) whole, so that it may become checkpoint.prev.json. */
    private boolean currentIsGood;
    private String fallbackNote;
    /** The checkpoint read, until the next save: the command checks it before the search restores from it, one read for both. */
    private ObjectNode last;

    public OneShotStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path dir() { return dir; }
    public Path checkpointFile() { return dir.resolve("checkpoint.json"); }
    public Path logFile() { return dir.resolve("search.jsonl"); }

    public Path previousCheckpointFile() { return dir.resolve("checkpoint.prev.json"); }

    /**
     * The last good checkpoint, or null for a fresh search: checkpoint.json, or checkpoint.prev.json
     * where the current one is damaged or missing (then {@link #fallbackNote()} says so). Both
     * damaged is a {@link DamagedFileException} naming the file and what is wrong.
     */
    public ObjectNode load() throws IOException {
        if (last != null) return last;
        Path current = checkpointFile(), prev = previousCheckpointFile();
        String damage = null;
        if (Files.exists(current)) {
            try {
                last = parse(Files.readAllBytes(current));
                currentIsGood = true;
                return last;
            } catch (IOException e) {
                damage = e.getMessage();
            }
        }
        if (!Files.exists(prev)) {
            if (damage != null)
                throw new DamagedFileException(current, 0, damage + "; there is no " + prev.getFileName() + " to fall back to. "
                        + "Start the search again with --out (a new folder)");
            return null;
        }
        ObjectNode cp;
        try {
            cp = parse(Files.readAllBytes(prev));
        } catch (IOException e) {
            throw new DamagedFileException(current, 0, (damage != null ? damage : "missing") + ", and " + prev.getFileName()
                    + " is damaged too (" + e.getMessage() + "). Start the search again with --out (a new folder)");
        }
        currentIsGood = false;
        fallbackNote = current.getFileName() + (damage != null ? " is damaged (" + damage + ")" : " is missing") + ": resuming from "
                + prev.getFileName() + ", one checkpoint earlier";
        last = cp;
        return cp;
    }

    /** Why {@link #load()} read checkpoint.prev.json, or null when it did not. */
    public String fallbackNote() {
        return fallbackNote;
    }

    private static ObjectNode parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) throw new IOException("empty");
        JsonNode cp;
        try {
            cp = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(DamagedFileException.jsonProblem(e));
        }
        if (!(cp instanceof ObjectNode o)) throw new IOException("not a JSON object");
        return o;
    }

    /** Keeps the good checkpoint being replaced as checkpoint.prev.json, writes the new one, then the log of its {@code history}. */
    public void save(ObjectNode checkpoint) throws IOException {
        if (currentIsGood && Files.exists(checkpointFile())) AtomicFiles.keepAsPrevious(checkpointFile(), previousCheckpointFile());
        AtomicFiles.write(checkpointFile(), JSON.writeValueAsBytes(checkpoint));
        currentIsGood = true;
        last = null; // not kept: a checkpoint holds every weight; a later load reads the file
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
