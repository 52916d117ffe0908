package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.LanguageModel;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.LanguageModelChildEvaluator;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * Recurrent cells: a two-layer language model on a slice of Penn Treebank, reward c / ppl^2,
 * trained by the search's {@link LmSettings} (the same recipe as {@code train}). Unset sizes take
 * the search's proxy defaults: hidden 128, 100,000 training tokens a child (all for the final
 * retraining), validation on max(10,000, trainTokens / 5) tokens.
 */
final class LanguageTask implements ChildTask {
    static final int HIDDEN = 128, TRAIN_TOKENS = 100_000;
    private final SearchSettings s;
    private final LmSettings lm;
    private final EngineOptions engine;
    private final TokenDataset ptb;
    private final int hidden, trainTokens;

    LanguageTask(SearchSettings s, EngineOptions engine) {
        this.s = s;
        // settings saved before the recipe's options were part of them: the old fields, the recipe for the rest
        this.lm = s.lm() != null ? s.lm() : LmSettings.defaults(s.rnnHidden(), s.lmLr(), s.trainTokens(), s.ptbDir());
        this.engine = engine;
        this.hidden = lm.hidden() > 0 ? lm.hidden() : HIDDEN;
        this.trainTokens = lm.trainTokens() > 0 ? lm.trainTokens() : TRAIN_TOKENS;
        this.ptb = lm.load();
        // a window longer than the data fails here, once, rather than in every child
        LmSettings.checkFits(ptb, proxyConfig());
        if (s.finalEpochs() > 0) LmSettings.checkFits(ptb, finalConfig());
    }

    /** How each child is trained: the recipe for {@code childEpochs} epochs on the first {@code trainTokens} tokens. */
    LmTrainConfig proxyConfig() {
        return lm.config(s.childEpochs(), 0).withTokens(trainTokens, Math.max(10_000, trainTokens / 5));
    }

    /** How the best child is retrained: the recipe for {@code finalEpochs} epochs on the whole training text, with test perplexity. */
    LmTrainConfig finalConfig() {
        return lm.config(Math.max(1, s.finalEpochs()), 0).withTest(true);
    }

    int hidden() {
        return hidden;
    }

    @Override
    public String describe() {
        return String.format("ptb (%,d proxy training tokens x %d epochs, hidden %d, SGD lr %s on the loss summed over %d steps, "
                + "batch %d, clip %s, dropout %s)", trainTokens, s.childEpochs(), hidden, lm.lr(), lm.bptt(), lm.batch(), lm.clip(), lm.dropout());
    }

    @Override
    public ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        return new LanguageModelChildEvaluator(backend, ptb, hidden, lm.dropout(), proxyConfig());
    }

    @Override
    public ObjectNode finalTraining(Path bestFile) {
        Architecture cell = Architectures.read(bestFile);
        try (Backend backend = Engine.open(engine);
             LanguageModel model = ChildBuilder.languageModel(cell, ptb.vocabulary().size(), hidden, lm.dropout(), backend, s.seed())) {
            System.err.printf("%nfinal training of %s: %d epochs on the whole ptb training text%n", bestFile, s.finalEpochs());
            LmTrainResult r = LanguageModelTrainer.train(model, ptb, finalConfig(),
                    new LanguageModelTrainer.Listener() {});
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(cell));
            out.put("params", model.parameterCount());
            out.put("epochs", r.epochs());
            Json.putNumber(out, "val_perplexity", r.valPerplexity());
            Json.putNumber(out, "test_perplexity", r.testPerplexity());
            Json.putNumber(out, "train_tokens_per_sec", r.trainTokensPerSec());
            Json.putNumber(out, "eval_tokens_per_sec", r.evalTokensPerSec());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (r.ok()) {
                Path weights = FinalTraining.weightsBeside(bestFile);
                SavedWeights.saveModel(weights, model.module(), cell, ptb.vocabulary().size(), model.hidden());
                out.put("weights", weights.getFileName().toString());
            }
            return out;
        }
    }
}
