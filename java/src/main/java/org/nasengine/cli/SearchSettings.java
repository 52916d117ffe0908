package org.nasengine.cli;

/**
 * Everything that defines a search, saved as OUT/settings.json when it starts so that
 * {@code --resume OUT} continues the same search whatever the command line says.
 *
 * @param lm how language-model children are sized and trained (rnn-cell), null in settings saved
 *           before it existed; then {@code rnnHidden}, {@code trainTokens}, {@code lmLr} and
 *           {@code ptbDir} hold the only recipe values that were saved, and the rest are the recipe's
 */
public record SearchSettings(String space, String strategy, String dataset, String dataDir, int validation, int budget,
                             int childrenPerUpdate, int childEpochs, int trainSubset, int finalEpochs, int batch, float lr,
                             int layers, int maxLayers, int growEvery, int growBy, int[] strides, float controllerLr,
                             double baselineDecay, double entropyWeight, int controllerLayers, int controllerHidden,
                             boolean retrainDuplicates, int topK, long seed, double maxMflops, int nasnetBlocks, int nasnetRepeats,
                             int nasnetFilters, int rnnBase, int rnnHidden, int trainTokens, float lmLr,
                             String ptbDir, LmSettings lm) {

    /** Without the language-model settings (they default to the recipe with the four old values). */
    public SearchSettings(String space, String strategy, String dataset, String dataDir, int validation, int budget,
                          int childrenPerUpdate, int childEpochs, int trainSubset, int finalEpochs, int batch, float lr,
                          int layers, int maxLayers, int growEvery, int growBy, int[] strides, float controllerLr,
                          double baselineDecay, double entropyWeight, int controllerLayers, int controllerHidden,
                          boolean retrainDuplicates, int topK, long seed, double maxMflops, int nasnetBlocks, int nasnetRepeats,
                          int nasnetFilters, int rnnBase, int rnnHidden, int trainTokens, float lmLr, String ptbDir) {
        this(space, strategy, dataset, dataDir, validation, budget, childrenPerUpdate, childEpochs, trainSubset, finalEpochs, batch,
                lr, layers, maxLayers, growEvery, growBy, strides, controllerLr, baselineDecay, entropyWeight, controllerLayers,
                controllerHidden, retrainDuplicates, topK, seed, maxMflops, nasnetBlocks, nasnetRepeats, nasnetFilters, rnnBase,
                rnnHidden, trainTokens, lmLr, ptbDir, null);
    }
}
