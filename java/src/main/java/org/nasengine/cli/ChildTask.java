package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Cost;

/** What a search trains its children on: the proxy evaluator, and the final retraining of the best. */
interface ChildTask {
    /** One line for the log: the data and the proxy. */
    String describe();

    ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress);

    /** The evaluator of the higher fidelity that promoted children get, or null where the task has none. */
    default ChildEvaluator promotionEvaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        return null;
    }

    /** The proxy evaluator without a cost cap or objective (for hand-written references), or null where the task has none. */
    default ChildEvaluator referenceEvaluator(Backend backend) {
        return null;
    }

    /** What an architecture of this task costs, or null where costs are not modelled (no budget can apply). */
    default Function<Architecture, Cost> costModel() {
        return null;
    }

    /** Retrains the architecture in {@code bestFile} longer, on the whole training split; the figures as JSON. */
    ObjectNode finalTraining(Path bestFile);

    static ChildTask of(SearchSettings s, EngineOptions engine) {
        if (s.table() != null) return new TableTask(s.table());
        return s.space().equals("rnn-cell") ? new LanguageTask(s, engine) : new ImageTask(s, engine);
    }
}
