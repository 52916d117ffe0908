package org.nasengine.cli;

/**
 * The hyperparameters of the strategies beyond REINFORCE's controller options (which live in
 * {@link SearchSettings} itself); one record component of the saved settings.
 *
 * @param population       evolution: population size P
 * @param tournament       evolution: members drawn per tournament S
 * @param selection        evolution: regularized (the oldest dies) or tournament (nobody dies)
 * @param initial          bo and smbo: uniform samples before the model steers
 * @param candidates       bo and smbo: uniform samples in each proposal's candidate pool
 * @param acquisition      bo: ei or ucb
 * @param ucbBeta          bo: the UCB's weight of the standard deviation
 * @param stageChildren    smbo: children per stage on spaces whose cells grow (nasnet)
 * @param smboKappa        smbo: candidates ranked by mean + kappa * spread of the surrogate ensemble
 * @param normalizeAdvantage reinforce: divide the advantage by a running standard deviation of the rewards
 */
public record StrategySettings(int population, int tournament, String selection, int initial, int candidates, String acquisition,
                               double ucbBeta, int stageChildren, double smboKappa, boolean normalizeAdvantage) {

    public static StrategySettings defaults() {
        return new StrategySettings(10, 3, "regularized", 10, 200, "ei", 2.0, 8, 0.0, true);
    }
}
