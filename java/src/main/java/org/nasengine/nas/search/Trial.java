package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One finished child, as one line of {@code trials.jsonl}. {@code arch} is the architecture in
 * the spec's JSON form; {@code status} is ok, diverged, out_of_memory, failed, over_budget (above the
 * search's compute cap, not trained) or cached (an identical architecture seen earlier, whose
 * result is reused).
 */
public record Trial(int id, int step, String strategy, JsonNode arch, double reward, double valMetric,
                    long params, double seconds, String status, String error) {

    public boolean trained() {
        return !status.equals("cached");
    }
}
