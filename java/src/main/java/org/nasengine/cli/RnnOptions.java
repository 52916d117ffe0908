package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.Backend;
import org.nasengine.data.DatasetException;
import org.nasengine.data.PennTreebank;
import org.nasengine.data.SharedData;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Option;

/** Options and runs of rnn-cell children: a two-layer language model on Penn Treebank. */
public final class RnnOptions {
    @Option(names = "--hidden", defaultValue = "0",
            description = "rnn-cell: hidden size (0: sized to the ~20M-parameter medium baseline). Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--bptt", defaultValue = "35", description = "rnn-cell: truncated backpropagation steps. Default: ${DEFAULT-VALUE}.")
    int bptt;

    @Option(names = "--lm-batch", defaultValue = "20", description = "rnn-cell: batch rows. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lm-lr", defaultValue = "0.2",
            description = "rnn-cell: SGD learning rate on the per-token loss, gradients clipped to norm 5. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--dropout", defaultValue = "0.5", description = "rnn-cell: dropout on non-recurrent connections. Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--ptb-dir", description = "Directory of ptb.{train,valid,test}.txt[.gz] (default: shared/data/ptb when found).")
    Path ptbDir;

    @Option(names = "--train-tokens", defaultValue = "0", description = "rnn-cell: train on the first N tokens (0: all). Default: ${DEFAULT-VALUE}.")
    int trainTokens;

    /** Trains (epochs > 0) or evaluates (0) a two-layer model of the cell; loads from and saves to weights files when given. */
    int train(RnnCell cell, Path archFile, int epochs, int maxSteps, EngineOptions engine, Path loadFile, Path saveFile) {
        TokenDataset ptb = load();
        int vocab = ptb.vocabulary().size();
        int h = hidden > 0 ? hidden
                : loadFile != null && savedHidden(loadFile) > 0 ? savedHidden(loadFile)
                : RnnLanguageModel.hiddenForBudget(cell, vocab, RnnLanguageModel.mediumBudget(vocab));
        LmTrainConfig cfg = LmTrainConfig.defaults().withEpochs(Math.max(1, epochs)).withBatch(batch, bptt).withOptimizer("sgd", lr)
                .withMaxSteps(maxSteps).withTokens(trainTokens, 0).withTest(true);
        try (Backend backend = Engine.open(engine);
             RnnLanguageModel model = new RnnLanguageModel(cell, vocab, h, dropout, 0.05f, backend, engine.seed);
             ProgressBar bar = Progress.bar("train", 1)) {
            if (loadFile != null) SavedWeights.loadModel(loadFile, model, cell);
            System.err.printf("training %s on ptb (%,d train tokens) on %s, hidden %d, %,d parameters%n", archFile.getFileName(),
                    ptb.train().length, backend.name(), h, model.parameterCount());
            LmTrainResult r = epochs == 0 ? evaluate(model, ptb, cfg) : LanguageModelTrainer.train(model, ptb, cfg, new LanguageModelTrainer.Listener() {
                @Override
                public void step(int epoch, long step, long total, float loss, double tokensPerSec) {
                    bar.maxHint(total);
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(" epoch %d loss %.3f %.0f tok/s", epoch + 1, loss, tokensPerSec));
                }
            });
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(cell));
            out.put("params", model.parameterCount());
            out.put("epochs", r.epochs());
            Json.putNumber(out, "train_tokens_per_sec", r.trainTokensPerSec());
            Json.putNumber(out, "val_perplexity", r.valPerplexity());
            Json.putNumber(out, "test_perplexity", r.testPerplexity());
            Json.putNumber(out, "reward", r.reward());
            Json.putNumber(out, "peak_rss_mb", PeakMemory.rssMb());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (saveFile != null && r.ok()) {
                SavedWeights.saveModel(saveFile, model, cell, vocab, h);
                out.put("weights", saveFile.toString());
            }
            System.out.println(Json.line(out));
            return r.ok() ? 0 : 1;
        }
    }

    /** The figures of an untrained pass: validation and test perplexity as the trainer measures them. */
    private static LmTrainResult evaluate(RnnLanguageModel model, TokenDataset ptb, LmTrainConfig cfg) {
        double val = LanguageModelTrainer.perplexity(model, ptb.validation(), cfg.evalBatch(), cfg.bptt());
        double test = LanguageModelTrainer.perplexity(model, ptb.test(), cfg.evalBatch(), cfg.bptt());
        return new LmTrainResult("ok", null, 0, 0, Double.NaN, Double.NaN, java.util.List.of(val), test, Double.NaN, Double.NaN);
    }

    /** The hidden size a weights file was saved with (0 when it does not say). */
    private static int savedHidden(Path file) {
        String h = SavedWeights.metadata(file).get("hidden");
        try {
            return h == null ? 0 : Integer.parseInt(h);
        } catch (NumberFormatException e) {
            throw new UserError(file + ": 'hidden' metadata '" + h + "' is not a number");
        }
    }

    int describe(RnnCell cell) {
        int vocab = 10_000;
        int h = hidden > 0 ? hidden : RnnLanguageModel.hiddenForBudget(cell, vocab, RnnLanguageModel.mediumBudget(vocab));
        long params = RnnLanguageModel.parameterCount(cell, vocab, h);
        // per token: each layer's leaf projections W x and U h, then the softmax layer
        double perLayer = 2.0 * cell.base() * (2.0 * h * h);
        double flops = 2 * perLayer + 2.0 * h * vocab;
        System.out.printf("%-40s %12s %16s%n", "layer", "params", "flops/token");
        System.out.printf("%-40s %,12d %16s%n", "embedding " + vocab + "x" + h, (long) vocab * h, "-");
        System.out.printf("%-40s %,12d %,16.0f%n", "2 x rnn-cell (base " + cell.base() + ", hidden " + h + ")",
                params - (long) vocab * h - ((long) h * vocab + vocab), 2 * perLayer);
        System.out.printf("%-40s %,12d %,16.0f%n", "softmax " + h + "x" + vocab, (long) h * vocab + vocab, 2.0 * h * vocab);
        ObjectNode out = Json.object();
        out.put("params", params);
        out.put("flops_per_example", flops);
        System.out.println(Json.line(out));
        return 0;
    }

    TokenDataset load() {
        return loadPtb(ptbDir);
    }

    /** Penn Treebank from {@code ptbDir}, or the bundled shared/data/ptb when it is null. */
    static TokenDataset loadPtb(Path ptbDir) {
        Path dir = ptbDir != null ? ptbDir
                : SharedData.find("ptb").orElseThrow(() -> new UserError("ptb: no --ptb-dir given and no shared/data/ptb found"));
        try {
            return PennTreebank.load(dir);
        } catch (DatasetException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError("cannot read ptb from " + dir + ": " + e.getMessage(), e);
        }
    }
}
