package org.nasengine.nas.search;

/**
 * What a child's reward is made of: its accuracy alone, or MnasNet's soft multi-objective
 * {@code accuracy * (cost / target)^w} (Tan et al. 2019; w = -0.07 trades about 5% of cost for
 * each 0.35% of accuracy), so that cheaper children are preferred without a cliff.
 */
public record Objective(Kind kind, double targetFlops, double weight) {
    public enum Kind { ACCURACY, MNASNET }

    public static final Objective ACCURACY = new Objective(Kind.ACCURACY, 0, 0);

    public Objective {
        if (kind == Kind.MNASNET) {
            if (!(targetFlops > 0)) throw new IllegalArgumentException("--cost-target (" + targetFlops / 1e6 + " MFLOPs) must be > 0");
            if (!Double.isFinite(weight) || weight > 0)
                throw new IllegalArgumentException("--cost-weight (" + weight + ") must be a number <= 0 (MnasNet uses -0.07)");
        }
    }

    /** The reward of a child of this accuracy and cost; a cost that is not known leaves the accuracy as it is. */
    public double reward(double accuracy, double flops) {
        if (kind == Kind.ACCURACY || !(flops > 0)) return accuracy;
        return accuracy * Math.pow(flops / targetFlops, weight);
    }
}
