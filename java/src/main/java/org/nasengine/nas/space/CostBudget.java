package org.nasengine.nas.space;

/**
 * The most a sampled architecture may cost: forward FLOPs per example and parameters, each 0 for
 * no limit ("we wish to minimize the parameters to make the model cheap enough to set into a
 * mobile device").
 */
public record CostBudget(double maxFlops, long maxParams) {
    public static final CostBudget NONE = new CostBudget(0, 0);

    public CostBudget {
        if (!(maxFlops >= 0)) throw new IllegalArgumentException("FLOP budget (" + maxFlops + ") must be >= 0 (0: no limit)");
        if (maxParams < 0) throw new IllegalArgumentException("parameter budget (" + maxParams + ") must be >= 0 (0: no limit)");
    }

    public boolean limited() {
        return maxFlops > 0 || maxParams > 0;
    }

    public boolean admits(Cost cost) {
        return (maxFlops <= 0 || cost.flops() <= maxFlops) && (maxParams <= 0 || cost.params() <= maxParams);
    }

    @Override
    public String toString() {
        if (!limited()) return "no limit";
        String flops = maxFlops > 0 ? String.format("%.1f MFLOPs", maxFlops / 1e6) : "";
        String params = maxParams > 0 ? String.format("%,d parameters", maxParams) : "";
        return flops.isEmpty() ? params : params.isEmpty() ? flops : flops + " and " + params;
    }
}
