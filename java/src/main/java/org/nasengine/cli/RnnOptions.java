package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.Backend;
import org.nasengine.data.PennTreebank;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.LanguageModel;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Option;

/**
 * Options of language-model children (rnn-cell and lstm architectures on Penn Treebank), shared by
 * {@code train} and {@code search}: one recipe, Zaremba et al.'s "small" one, whose learning rate
 * applies to the loss summed over the window's time steps (see {@link LmSettings}).
 */
public final class RnnOptions {
    /** Every option of this mixin, for commands that refuse them when the child is not a language model. */
    static final List<String> NAMES = List.of("--hidden", "--bptt", "--lm-batch", "--lm-lr", "--lm-clip", "--lm-decay",
            "--lm-decay-after", "--dropout", "--ptb-dir", "--train-tokens");

    /** Options of image children; the language-model option that does the job, where there is one. */
    private static final Map<String, String> IMAGE_COUNTERPART = Map.of("--batch", "--lm-batch", "--lr", "--lm-lr",
            "--train-subset", "--train-tokens", "--data-dir", "--ptb-dir");

    /**
     * Refuses options that would have no effect on a language model: the image options among
     * {@code imageOptions} that were given, and a {@code --dataset} other than ptb. {@code what}
     * names the child ("lstm.json is an lstm language model").
     */
    static void refuseImageOptions(Predicate<String> given, String datasetGiven, List<String> imageOptions, String what) {
        for (String o : imageOptions)
            if (given.test(o))
                throw new UserError(o + " applies to image children; " + what + (IMAGE_COUNTERPART.containsKey(o)
                        ? ": use " + IMAGE_COUNTERPART.get(o) : ", trained by the small recipe (see --help)"));
        if (datasetGiven != null && !datasetGiven.equals(PennTreebank.NAME))
            throw new UserError(what + ", trained on ptb, not --dataset " + datasetGiven);
    }

    /** Refuses the language-model options (and {@code extra} ones) given for a child that is not a language model. */
    static void refuseLanguageModelOptions(Predicate<String> given, List<String> extra, String what) {
        for (String o : java.util.stream.Stream.concat(NAMES.stream(), extra.stream()).toList())
            if (given.test(o)) throw new UserError(o + " applies to language models (rnn-cell, lstm); " + what);
    }

    /**
     * The checks of {@code search}: with {@code --space rnn-cell} the image children's training and
     * data options are refused, naming the language-model option that does their job; with an image
     * space the language-model options and {@code --rnn-base}. SearchCommand calls this with its
     * parse result before it builds the settings.
     */
    static void checkSearchOptions(String space, Predicate<String> given, String dataset) {
        if (space.equals("rnn-cell"))
            refuseImageOptions(given, given.test("--dataset") ? dataset : null,
                    List.of("--batch", "--lr", "--train-subset", "--data-dir", "--validation"), "--space rnn-cell searches language models");
        else
            refuseLanguageModelOptions(given, List.of("--rnn-base"), "--space " + space + " searches image children");
    }

    @Option(names = "--hidden", defaultValue = "0",
            description = "rnn-cell: hidden size (0: train sizes the model to the ~20M-parameter medium baseline; search trains its "
                    + "children and retrains the best at 128). An lstm architecture gives its own size. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--bptt", defaultValue = "" + LmTrainConfig.BPTT,
            description = "Language models: truncated backpropagation steps per window. Default: ${DEFAULT-VALUE}.")
    int bptt;

    @Option(names = "--lm-batch", defaultValue = "" + LmTrainConfig.BATCH,
            description = "Language models: rows of a batch (and of evaluation). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lm-lr", defaultValue = "1.0",
            description = "Language models: SGD learning rate on the loss summed over the --bptt steps of a window and averaged over "
                    + "its rows (Zaremba et al.'s convention: their lr 1 is lr 1 here; on a per-token mean loss it would be lr * bptt). "
                    + "Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--lm-clip", defaultValue = "" + LmTrainConfig.CLIP_NORM,
            description = "Language models: clip the global gradient norm of that loss to this (0: no clipping). Default: ${DEFAULT-VALUE}.")
    float clip;

    @Option(names = "--lm-decay", defaultValue = "" + LmTrainConfig.LR_DECAY,
            description = "Language models: multiply the rate by this after each epoch from --lm-decay-after on. Default: ${DEFAULT-VALUE}.")
    float decay;

    @Option(names = "--lm-decay-after", defaultValue = "" + LmTrainConfig.DECAY_AFTER_EPOCHS,
            description = "Language models: epochs at the full rate before the decay starts. Default: ${DEFAULT-VALUE}.")
    int decayAfter;

    @Option(names = "--dropout", defaultValue = "0",
            description = "Language models: dropout on non-recurrent connections (the small recipe has none; the medium one 0.5). "
                    + "Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--ptb-dir", description = "Directory of ptb.{train,valid,test}.txt[.gz] (default: shared/data/ptb when found).")
    Path ptbDir;

    @Option(names = "--train-tokens", defaultValue = "0",
            description = "Language models: train on the first N tokens (0: train uses all; search gives each child 100,000 and "
                    + "retrains the best on all). Default: ${DEFAULT-VALUE}.")
    int trainTokens;

    /** The options, checked: a value out of range is a user error naming the option. */
    LmSettings settings() {
        return new LmSettings(hidden, bptt, batch, lr, clip, decay, decayAfter, dropout, trainTokens,
                ptbDir == null ? null : ptbDir.toString());
    }

    /**
     * {@code train} of an rnn-cell or lstm architecture (epochs 0: evaluate only), starting from
     * {@code loadFile} and saving to {@code saveFile} when given: the figures as one JSON line,
     * exit 0 when the status is ok.
     */
    int train(Architecture arch, Path archFile, int epochs, long maxSteps, EngineOptions engine, Path loadFile, Path saveFile) {
        LmSettings lm = settings();
        LmTrainConfig cfg = lm.config(Math.max(1, epochs), maxSteps).withTokens(lm.trainTokens(), 0).withTest(true);
        TokenDataset ptb = lm.load();
        LmSettings.checkFits(ptb, cfg);
        int vocab = ptb.vocabulary().size();
        // an rnn-cell's size is not in its architecture: a loaded model has the size it was saved with
        int h = lm.hidden() > 0 || loadFile == null || !(arch instanceof RnnCell) ? lm.hidden() : savedHidden(loadFile);
        try (Backend backend = Engine.open(engine);
             LanguageModel model = ChildBuilder.languageModel(arch, vocab, h, lm.dropout(), backend, engine.seed);
             ProgressBar bar = Progress.bar("train", 1)) {
            if (loadFile != null) SavedWeights.loadModel(loadFile, model.module(), arch);
            System.err.printf("%s %s on ptb (%,d of %,d train tokens) on %s, %,d parameters, SGD lr %s on the loss summed over "
                            + "%d steps, clip %s%n", epochs == 0 ? "evaluating" : "training", archFile.getFileName(),
                    cfg.trainTokens() > 0 ? Math.min(cfg.trainTokens(), ptb.train().length) : ptb.train().length, ptb.train().length,
                    backend.name(), model.parameterCount(), lm.lr(), lm.bptt(), lm.clip());
            LmTrainResult r = epochs == 0 ? evaluate(model, ptb, cfg) : LanguageModelTrainer.train(model, ptb, cfg, new LanguageModelTrainer.Listener() {
                @Override
                public void step(int epoch, long step, long total, float loss, double tokensPerSec) {
                    bar.maxHint(total);
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(" epoch %d loss %.3f %.0f tok/s", epoch + 1, loss, tokensPerSec));
                }
            });
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(arch));
            out.put("params", model.parameterCount());
            out.put("epochs", r.epochs());
            out.put("steps", r.steps());
            Json.putNumber(out, "train_tokens_per_sec", r.trainTokensPerSec());
            Json.putNumber(out, "eval_tokens_per_sec", r.evalTokensPerSec());
            Json.putNumber(out, "train_perplexity", r.trainPerplexity());
            var perEpoch = out.putArray("val_perplexity_per_epoch");
            r.valPerplexities().forEach(perEpoch::add);
            Json.putNumber(out, "val_perplexity", r.valPerplexity());
            Json.putNumber(out, "test_perplexity", r.testPerplexity());
            Json.putNumber(out, "reward", r.reward());
            Json.putNumber(out, "peak_rss_mb", PeakMemory.rssMb());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (saveFile != null && r.ok()) {
                SavedWeights.saveModel(saveFile, model.module(), arch, vocab, model.hidden());
                out.put("weights", saveFile.toString());
            }
            System.out.println(Json.line(out));
            return r.ok() ? 0 : 1;
        }
    }

    /** The figures of an untrained pass: validation and test perplexity as the trainer measures them. */
    private static LmTrainResult evaluate(LanguageModel model, TokenDataset ptb, LmTrainConfig cfg) {
        double val = LanguageModelTrainer.perplexity(model, ptb.validation(), cfg.evalBatch(), cfg.bptt());
        double test = LanguageModelTrainer.perplexity(model, ptb.test(), cfg.evalBatch(), cfg.bptt());
        return new LmTrainResult("ok", null, 0, 0, Double.NaN, Double.NaN, Double.NaN, List.of(val), test, Double.NaN, Double.NaN);
    }

    /** The hidden size a weights file was saved with (0 when it does not say: the default size). */
    private static int savedHidden(Path file) {
        String h = SavedWeights.metadata(file).get("hidden");
        try {
            return h == null ? 0 : Integer.parseInt(h);
        } catch (NumberFormatException e) {
            throw new UserError(file + ": 'hidden' metadata '" + h + "' is not a number");
        }
    }
}
