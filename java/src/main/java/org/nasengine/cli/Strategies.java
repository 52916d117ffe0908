package org.nasengine.cli;

import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.strategy.BayesOptStrategy;
import org.nasengine.nas.strategy.EvolutionStrategy;
import org.nasengine.nas.strategy.RandomStrategy;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.strategy.SmboStrategy;
import org.nasengine.nas.strategy.Strategy;

/**
 * The strategies {@code search --strategy NAME} knows, built from a search's settings. Adding a
 * strategy is one file in nas.strategy plus one line here.
 */
final class Strategies {
    static final List<String> NAMES = List.of("reinforce", "random", "evolution", "smbo", "bo");

    private Strategies() {}

    /**
     * @param controllerBackend where a strategy's own small networks run (the Java reference: tiny and deterministic)
     * @param largestSpace the largest space the search will sample from (the controller's heads cover it)
     */
    static Strategy create(SearchSettings s, Backend controllerBackend, DecisionSpace largestSpace) {
        StrategySettings o = options(s);
        return switch (s.strategy()) {
            case "reinforce" -> new ReinforceStrategy(controllerBackend, largestSpace, s.controllerLayers(), s.controllerHidden(),
                    s.controllerLr(), s.baselineDecay(), s.entropyWeight(), o.normalizeAdvantage(), s.seed());
            case "random" -> new RandomStrategy(s.seed());
            case "evolution" -> new EvolutionStrategy(largestSpace, o.population(), o.tournament(),
                    EvolutionStrategy.Selection.valueOf(o.selection().toUpperCase(java.util.Locale.ROOT)), s.seed());
            case "smbo" -> new SmboStrategy(controllerBackend, largestSpace, o.initial(), o.candidates(), o.stageChildren(), o.smboKappa(),
                    s.seed());
            case "bo" -> new BayesOptStrategy(largestSpace, o.initial(), BayesOptStrategy.Acquisition.valueOf(
                    o.acquisition().toUpperCase(java.util.Locale.ROOT)), o.ucbBeta(), o.candidates(), s.seed());
            default -> throw unknown(s.strategy());
        };
    }

    /** The saved strategy options; the defaults for settings saved before they existed. */
    static StrategySettings options(SearchSettings s) {
        return s.strategyOptions() != null ? s.strategyOptions() : StrategySettings.defaults();
    }

    /**
     * Refuses, as a user error, a strategy name or options that cannot work: an unknown name or
     * choice, a size below 1, a budget smaller than the strategy's initial population.
     */
    static void check(String name, StrategySettings o, int budget) {
        if (!NAMES.contains(name)) throw unknown(name);
        if (!List.of("regularized", "tournament").contains(o.selection()))
            throw new UserError("--selection '" + o.selection() + "' is not one of regularized, tournament");
        if (!List.of("ei", "ucb").contains(o.acquisition()))
            throw new UserError("--acquisition '" + o.acquisition() + "' is not one of ei, ucb");
        if (o.population() < 1) throw new UserError("--population (" + o.population() + ") must be >= 1");
        if (o.tournament() < 1 || o.tournament() > o.population())
            throw new UserError("--tournament (" + o.tournament() + ") must be 1..--population (" + o.population() + ")");
        if (o.initial() < 1) throw new UserError("--initial (" + o.initial() + ") must be >= 1");
        if (o.candidates() < 1) throw new UserError("--candidates (" + o.candidates() + ") must be >= 1");
        if (o.stageChildren() < 1) throw new UserError("--stage-children (" + o.stageChildren() + ") must be >= 1");
        if (!(o.ucbBeta() >= 0)) throw new UserError("--ucb-beta (" + o.ucbBeta() + ") must be >= 0");
        if (budget < 1) throw new UserError("--budget (" + budget + ") must be >= 1");
        int first = switch (name) {
            case "evolution" -> o.population();
            case "smbo", "bo" -> o.initial();
            default -> 1;
        };
        String what = name.equals("evolution") ? "--population" : "--initial";
        if (budget < first)
            throw new UserError("--budget (" + budget + ") is smaller than " + name + "'s initial population (" + what + " " + first
                    + "): the strategy would never get past its random start");
    }

    /**
     * REINFORCE's controller learning rate when none is given: Zoph and Le's scale for the trained
     * spaces; on nb201, whose 6 decisions are searched with a hundred cheap table queries, ten times
     * more (measured in bench/RESULTS.md: 6e-4 barely moves the policy in 100 queries).
     */
    static float defaultControllerLr(String space) {
        return switch (space) {
            case "rnn-cell" -> 5e-4f;
            case "nb201" -> 5e-3f;
            default -> 6e-4f;
        };
    }

    static UserError unknown(String name) {
        return new UserError("--strategy '" + name + "' is not one of " + String.join(", ", NAMES));
    }
}
