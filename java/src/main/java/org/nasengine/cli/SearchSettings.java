package org.nasengine.cli;

/**
 * Everything that defines a search, saved as OUT/settings.json when it starts so that
 * {@code --resume OUT} continues the same search whatever the command line says.
 * {@code strategyOptions}: the evolution, bo, smbo and reinforce options of {@link StrategyOptions}
 * (null in settings saved before them: the defaults); {@code table}: the benchmark table children
 * are looked up in (null: children are trained).
 */
public record SearchSettings(String space, String strategy, String dataset, String dataDir, int validation, int budget,
                             int childrenPerUpdate, int childEpochs, int trainSubset, int finalEpochs, int batch, float lr,
                             int layers, int maxLayers, int growEvery, int growBy, int[] strides, float controllerLr,
                             double baselineDecay, double entropyWeight, int controllerLayers, int controllerHidden,
                             boolean retrainDuplicates, int topK, long seed, int nasnetBlocks, int nasnetRepeats,
                             int nasnetFilters, int rnnBase, int rnnHidden, int trainTokens, float lmLr,
                             String ptbDir, SearchGoal goal, String preset, boolean chained, StrategySettings strategyOptions,
                             TableSettings table) {}
