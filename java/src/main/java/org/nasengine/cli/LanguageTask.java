package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.LanguageModelChildEvaluator;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;

/** Recurrent cells: a small two-layer language model on a slice of Penn Treebank, reward c / ppl^2. */
final class LanguageTask implements ChildTask {
    private static final float DROPOUT = 0.5f;
    private final SearchSettings s;
    private final EngineOptions engine;
    private final TokenDataset ptb;

    LanguageTask(SearchSettings s, EngineOptions engine) {
        this.s = s;
        this.engine = engine;
        this.ptb = RnnOptions.loadPtb(s.ptbDir() == null ? null : Path.of(s.ptbDir()));
    }

    private LmTrainConfig config(int epochs, int trainTokens, int evalTokens, boolean test) {
        return LmTrainConfig.defaults().withEpochs(epochs).withOptimizer("sgd", s.lmLr()).withTokens(trainTokens, evalTokens)
                .withTest(test);
    }

    @Override
    public String describe() {
        return String.format("ptb (%d proxy training tokens x %d epochs, hidden %d)", s.trainTokens(), s.childEpochs(), s.rnnHidden());
    }

    @Override
    public ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        return new LanguageModelChildEvaluator(backend, ptb, s.rnnHidden(), DROPOUT,
                config(s.childEpochs(), s.trainTokens(), Math.max(10_000, s.trainTokens() / 5), false).withBatch(20, 35));
    }

    @Override
    public ObjectNode finalTraining(Path bestFile) {
        RnnCell cell = (RnnCell) Architectures.read(bestFile);
        try (Backend backend = Engine.open(engine);
             RnnLanguageModel model = new RnnLanguageModel(cell, ptb.vocabulary().size(), s.rnnHidden(), DROPOUT, 0.05f, backend, s.seed())) {
            System.err.printf("%nfinal training of %s: %d epochs on the whole ptb training text%n", bestFile, s.finalEpochs());
            LmTrainResult r = LanguageModelTrainer.train(model, ptb, config(s.finalEpochs(), 0, 0, true), new LanguageModelTrainer.Listener() {});
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(cell));
            out.put("params", model.parameterCount());
            out.put("epochs", r.epochs());
            Json.putNumber(out, "val_perplexity", r.valPerplexity());
            Json.putNumber(out, "test_perplexity", r.testPerplexity());
            Json.putNumber(out, "train_tokens_per_sec", r.trainTokensPerSec());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (r.ok()) {
                Path weights = FinalTraining.weightsBeside(bestFile);
                SavedWeights.saveModel(weights, model, cell, ptb.vocabulary().size(), s.rnnHidden());
                out.put("weights", weights.getFileName().toString());
            }
            return out;
        }
    }
}
