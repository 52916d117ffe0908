package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A search kept in memory: for comparisons that run a strategy over hundreds of seeds on a table. */
public final class MemoryStore implements SearchStore {
    private final List<Trial> trials = new ArrayList<>();
    private JsonNode checkpoint;

    @Override public synchronized List<Trial> trials() { return List.copyOf(trials); }

    @Override public synchronized JsonNode checkpoint() { return checkpoint; }

    @Override public synchronized void append(Trial trial) { trials.add(trial); }

    @Override public synchronized void checkpoint(JsonNode state) { checkpoint = state; }

    @Override public void close() {}
}
