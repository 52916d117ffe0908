package org.nasengine.cli;

import picocli.CommandLine.Option;

/** The strategies' hyperparameters on the command line (search and compare). */
public final class StrategyOptions {
    private static final StrategySettings D = StrategySettings.defaults();

    @Option(names = "--population", defaultValue = "10", description = "evolution: population size P. Default: ${DEFAULT-VALUE}.")
    int population = D.population();
    @Option(names = "--tournament", defaultValue = "3", description = "evolution: members drawn per tournament S (the best is mutated). Default: ${DEFAULT-VALUE}.")
    int tournament = D.tournament();
    @Option(names = "--selection", defaultValue = "regularized",
            description = "evolution: regularized (aging: the oldest dies, Real et al.) or tournament (nobody dies, Liu et al.). Default: ${DEFAULT-VALUE}.")
    String selection = D.selection();
    @Option(names = "--initial", defaultValue = "10", description = "bo, smbo: uniform samples before the model steers. Default: ${DEFAULT-VALUE}.")
    int initial = D.initial();
    @Option(names = "--candidates", defaultValue = "200",
            description = "bo, smbo: uniform samples in each candidate pool (plus the neighbours of the 5 best, then local search). Default: ${DEFAULT-VALUE}.")
    int candidates = D.candidates();
    @Option(names = "--acquisition", defaultValue = "ei", description = "bo: ei (expected improvement) or ucb. Default: ${DEFAULT-VALUE}.")
    String acquisition = D.acquisition();
    @Option(names = "--ucb-beta", defaultValue = "2.0", description = "bo: weight of the standard deviation in ucb. Default: ${DEFAULT-VALUE}.")
    double ucbBeta = D.ucbBeta();
    @Option(names = "--stage-children", defaultValue = "8",
            description = "smbo: children per stage where cells grow (nasnet: one block more per stage, as PNAS). Default: ${DEFAULT-VALUE}.")
    int stageChildren = D.stageChildren();
    @Option(names = "--smbo-kappa", defaultValue = "0.0",
            description = "smbo: rank candidates by mean + kappa * spread of the surrogate ensemble (0: the mean, as PNAS). Default: ${DEFAULT-VALUE}.")
    double smboKappa = D.smboKappa();
    @Option(names = "--advantage-norm", defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "reinforce: divide the advantage by a running standard deviation of the rewards (any reward scale). Default: ${DEFAULT-VALUE}.")
    boolean normalizeAdvantage = D.normalizeAdvantage();

    StrategySettings settings() {
        return new StrategySettings(population, tournament, selection, initial, candidates, acquisition, ucbBeta, stageChildren, smboKappa,
                normalizeAdvantage);
    }
}
