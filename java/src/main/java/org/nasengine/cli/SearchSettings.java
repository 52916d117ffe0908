package org.nasengine.cli;

import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.RnnCell;

/**
 * Everything that defines a search, saved as OUT/settings.json when it starts so that
 * {@code --resume OUT} continues the same search whatever the command line says. Every value is
 * checked here, naming its option, so a bad one is refused before any output or child starts
 * (and a settings.json edited out of range is refused on --resume).
 *
 * @param lm how language-model children are sized and trained (rnn-cell), null in settings saved
 *           before it existed; then {@code rnnHidden}, {@code trainTokens}, {@code lmLr} and
 *           {@code ptbDir} hold the only recipe values that were saved, and the rest are the recipe's defaults
 */
public record SearchSettings(String space, String strategy, String dataset, String dataDir, int validation, int budget,
                             int childrenPerUpdate, int childEpochs, int trainSubset, int finalEpochs, int batch, float lr,
                             int layers, int maxLayers, int growEvery, int growBy, int[] strides, float controllerLr,
                             double baselineDecay, double entropyWeight, int controllerLayers, int controllerHidden,
                             boolean retrainDuplicates, int topK, long seed, int nasnetBlocks, int nasnetRepeats,
                             int nasnetFilters, int rnnBase, int rnnHidden, int trainTokens, float lmLr,
                             String ptbDir, SearchGoal goal, String preset, boolean chained, StrategySettings strategyOptions,
                             TableSettings table, LmSettings lm) {
    public SearchSettings {
        if (space == null) throw new UserError("--space is missing");
        if (strategy == null) throw new UserError("--strategy is missing");
        if (dataset == null) throw new UserError("--dataset is missing");
        if (goal == null) throw new UserError("the search goal (--max-mflops, --objective, --promote, ...) is missing");
        atLeast("--validation", validation, 0);
        atLeast("--budget", budget, 1);
        atLeast("--children-per-update", childrenPerUpdate, 1);
        atLeast("--child-epochs", childEpochs, 1);
        atLeast("--train-subset", trainSubset, 0);
        atLeast("--final-epochs", finalEpochs, 0);
        if (batch < 2) throw new UserError("--batch (" + batch + ") must be >= 2 (batch norm needs two examples)");
        positive("--lr", lr);
        atLeast("--layers", layers, 1);
        if (maxLayers < layers) throw new UserError("--max-layers (" + maxLayers + ") must be >= --layers (" + layers + ")");
        atLeast("--grow-every", growEvery, 1);
        atLeast("--grow-by", growBy, 0);
        if (strides == null || strides.length == 0) throw new UserError("--strides must name at least one stride");
        for (int st : strides) if (st < 1 || st > 3) throw new UserError("--strides: " + st + " must be 1, 2 or 3");
        positive("--controller-lr", controllerLr);
        if (!(baselineDecay >= 0 && baselineDecay < 1)) throw new UserError("--baseline-decay (" + baselineDecay + ") must be in [0, 1)");
        if (!(entropyWeight >= 0) || Double.isInfinite(entropyWeight))
            throw new UserError("--entropy-weight (" + entropyWeight + ") must be a number >= 0");
        atLeast("--controller-layers", controllerLayers, 1);
        atLeast("--controller-hidden", controllerHidden, 1);
        atLeast("--top-k", topK, 1);
        if (nasnetBlocks < 1 || nasnetBlocks > NasNet.MAX_BLOCKS)
            throw new UserError("--nasnet-blocks (" + nasnetBlocks + ") must be 1.." + NasNet.MAX_BLOCKS);
        atLeast("--nasnet-repeats", nasnetRepeats, 1);
        atLeast("--nasnet-filters", nasnetFilters, 1);
        if (rnnBase < RnnCell.MIN_BASE || rnnBase > RnnCell.MAX_BASE)
            throw new UserError("--rnn-base (" + rnnBase + ") must be " + RnnCell.MIN_BASE + ".." + RnnCell.MAX_BASE);
        atLeast("--hidden", rnnHidden, 1);
        atLeast("--train-tokens", trainTokens, 0);
        positive("--lm-lr", lmLr);
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) throw new UserError(option + " (" + value + ") must be >= " + min);
    }

    private static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new UserError(option + " (" + value + ") must be a number > 0");
    }
}
