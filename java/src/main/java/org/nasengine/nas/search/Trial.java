package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureJson;

/**
 * One finished child, as one line of {@code trials.jsonl}. {@code status} is ok, diverged,
 * out_of_memory, failed, over_budget (above the search's hard compute cap, not trained) or
 * cached (an identical architecture seen earlier, whose result is reused). {@code flops} is the
 * forward cost per example (NaN where not known); {@code report} a held-out figure the strategy
 * never sees (a table's report column; NaN where there is none). {@code rung} is the fidelity:
 * 0 for the search's proxy, which every reward a strategy learns from comes from; 1 for the
 * best children evaluated again at a higher fidelity to choose the one to retrain.
 */
public record Trial(int id, int step, String strategy,
                    @JsonSerialize(using = ArchitectureJson.Writer.class) @JsonDeserialize(using = ArchitectureJson.Reader.class)
                    Architecture arch,
                    double reward, double valMetric, long params, double flops, double seconds, String status, String error,
                    double report, int rung) {

    public boolean trained() {
        return !status.equals("cached");
    }

    public boolean ok() {
        return status.equals("ok");
    }
}
