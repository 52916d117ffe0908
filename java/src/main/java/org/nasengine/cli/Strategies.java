package org.nasengine.cli;

import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.strategy.RandomStrategy;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.strategy.Strategy;

/**
 * The strategies {@code search --strategy NAME} knows, built from a search's settings. Adding a
 * strategy is one file in nas.strategy plus one line here.
 */
final class Strategies {
    static final List<String> NAMES = List.of("reinforce", "random");

    private Strategies() {}

    /**
     * @param controllerBackend where a strategy's own small networks run (the Java reference: tiny and deterministic)
     * @param largestSpace the largest space the search will sample from (the controller's heads cover it)
     */
    static Strategy create(SearchSettings s, Backend controllerBackend, DecisionSpace largestSpace) {
        return switch (s.strategy()) {
            case "reinforce" -> new ReinforceStrategy(controllerBackend, largestSpace, s.controllerLayers(), s.controllerHidden(),
                    s.controllerLr(), s.baselineDecay(), s.entropyWeight(), s.seed());
            case "random" -> new RandomStrategy(s.seed());
            default -> throw unknown(s.strategy());
        };
    }

    static UserError unknown(String name) {
        return new UserError("--strategy '" + name + "' is not one of " + String.join(", ", NAMES));
    }
}
