package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.nasengine.data.DatasetException;
import org.nasengine.data.PennTreebank;
import org.nasengine.data.SharedData;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.LmTrainConfig;

/**
 * How language-model children (rnn-cell and lstm architectures on Penn Treebank) are sized and
 * trained: the values of {@link RnnOptions}, checked once, for {@code train} and for a search
 * (where they are saved in settings.json). The recipe is Zaremba et al.'s "small" one: SGD at
 * {@code lr} on the loss summed over a window's {@code bptt} steps and averaged over its
 * {@code batch} rows, global gradient norm clipped to {@code clip}, the rate times {@code decay}
 * each epoch from epoch {@code decayAfter} (counted from 0) on.
 *
 * @param hidden      hidden size of rnn-cell models (0: the command's default, see {@link RnnOptions})
 * @param trainTokens train on the first this many training tokens (0: the command's default)
 * @param ptbDir      directory of the ptb files (null: shared/data/ptb)
 */
public record LmSettings(int hidden, int bptt, int batch, float lr, float clip, float decay, int decayAfter, float dropout,
                         int trainTokens, String ptbDir) {

    public LmSettings {
        require(hidden >= 0, "--hidden (" + hidden + ") must be >= 0 (0: sized by default)");
        require(bptt >= 1, "--bptt (" + bptt + ") must be >= 1");
        require(batch >= 1, "--lm-batch (" + batch + ") must be >= 1");
        require(lr > 0 && Float.isFinite(lr), "--lm-lr (" + lr + ") must be finite and > 0");
        require(clip >= 0 && Float.isFinite(clip), "--lm-clip (" + clip + ") must be finite and >= 0 (0: no clipping)");
        require(decay > 0 && decay <= 1, "--lm-decay (" + decay + ") must be in (0, 1] (1: no decay)");
        require(decayAfter >= 0, "--lm-decay-after (" + decayAfter + ") must be >= 0");
        require(dropout >= 0 && dropout < 1, "--dropout (" + dropout + ") must be in [0, 1)");
        require(trainTokens >= 0, "--train-tokens (" + trainTokens + ") must be >= 0 (0: by default)");
    }

    /** The recipe's values, with the search's old settings (from before this record existed) where they are given. */
    static LmSettings defaults(int hidden, float lr, int trainTokens, String ptbDir) {
        return new LmSettings(hidden, LmTrainConfig.BPTT, LmTrainConfig.BATCH, lr, LmTrainConfig.CLIP_NORM, LmTrainConfig.LR_DECAY,
                LmTrainConfig.DECAY_AFTER_EPOCHS, 0f, trainTokens, ptbDir);
    }

    /** The trainer's configuration for {@code epochs} epochs, at most {@code maxSteps} updates (0: no limit). */
    LmTrainConfig config(int epochs, long maxSteps) {
        require(epochs >= 1, "--epochs (" + epochs + ") must be >= 1");
        require(maxSteps >= 0, "--max-steps (" + maxSteps + ") must be >= 0 (0: no limit)");
        return LmTrainConfig.defaults().withEpochs(epochs).withBatch(batch, bptt).withOptimizer("sgd", lr).withClipNorm(clip)
                .withDecay(decay, decayAfter).withMaxSteps(maxSteps);
    }

    /** Penn Treebank from {@code ptbDir}, or the bundled shared/data/ptb; a missing or damaged file is a user error naming it. */
    TokenDataset load() {
        Path dir = ptbDir != null ? Path.of(ptbDir)
                : SharedData.find("ptb").orElseThrow(() -> new UserError("ptb: no --ptb-dir given and no shared/data/ptb found"));
        try {
            return PennTreebank.load(dir);
        } catch (DatasetException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError("cannot read ptb from " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses, before any training, a window longer than the data: every split the configuration
     * reads (the first trainTokens / evalTokens of it) must give each of its rows more than
     * {@code bptt} tokens, an input for every step and the target after the last.
     */
    static void checkFits(TokenDataset corpus, LmTrainConfig cfg) {
        fits(corpus, TokenDataset.Split.TRAIN, corpus.train(), cfg.trainTokens(), cfg.batch(), cfg.bptt());
        fits(corpus, TokenDataset.Split.VALIDATION, corpus.validation(), cfg.evalTokens(), cfg.evalBatch(), cfg.bptt());
        if (cfg.test()) fits(corpus, TokenDataset.Split.TEST, corpus.test(), cfg.evalTokens(), cfg.evalBatch(), cfg.bptt());
    }

    private static void fits(TokenDataset corpus, TokenDataset.Split split, int[] stream, int limit, int rows, int bptt) {
        long tokens = limit > 0 ? Math.min(limit, stream.length) : stream.length;
        long perRow = tokens / rows;
        if (perRow - 1 < bptt)
            throw new UserError(String.format("--bptt %d is longer than the data: %s gives %,d tokens%s, %,d per row of --lm-batch %d, "
                            + "so windows of at most %,d steps", bptt, corpus.source(split), tokens,
                    tokens < stream.length ? " (of " + String.format("%,d", stream.length) + ")" : "", perRow, rows, Math.max(0, perRow - 1)));
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new UserError(message);
    }
}
