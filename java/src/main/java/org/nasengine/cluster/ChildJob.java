package org.nasengine.cluster;

import java.io.Serializable;

/**
 * What every executor needs to train a search's children, shipped once per search: the search's
 * settings as {@code settings.json} holds them (the executor reads the same dataset from the same
 * path or URL) and the engine options children train with there.
 *
 * @param threads CPU threads per child; 0 lets the executor use the cores its engine gives each task
 */
public record ChildJob(String settingsJson, String device, int threads, boolean deterministic) implements Serializable {
    public ChildJob {
        if (settingsJson == null || settingsJson.isBlank()) throw new IllegalArgumentException("a child job needs the search's settings");
        if (threads < 0) throw new IllegalArgumentException("threads (" + threads + ") must be >= 0");
    }
}
