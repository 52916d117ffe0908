package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Where a search keeps its trials and its checkpoint: a folder on disk for a real search
 * ({@link FolderStore}), memory for the thousands of short runs of a comparison ({@link MemoryStore}).
 */
public interface SearchStore extends AutoCloseable {
    /** The trials recorded so far, in the order they were appended. */
    List<Trial> trials() throws IOException;

    /** The last checkpoint, or null when the search has none yet. */
    JsonNode checkpoint() throws IOException;

    /** Records one finished child; durable when this returns. Called from worker threads. */
    void append(Trial trial) throws IOException;

    /** Replaces the checkpoint as one step (a reader sees the old one or the new one). */
    void checkpoint(JsonNode state) throws IOException;

    @Override
    void close() throws IOException;
}
