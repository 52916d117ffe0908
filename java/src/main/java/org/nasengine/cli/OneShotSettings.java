package org.nasengine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nasengine.nas.oneshot.DartsConfig;
import org.nasengine.nas.space.NasNet;

/**
 * Everything that defines a weight-sharing search ({@code --strategy enas|darts}), saved as
 * OUT/settings.json so that {@code --resume OUT} continues the same search. Built once from the
 * command line by {@link #of}, which fills the strategy's defaults and refuses the options that
 * mean nothing to it (they would otherwise be silently ignored).
 */
public record OneShotSettings(String space, String strategy, String dataset, String dataDir, int validation, int trainSubset,
                              long seed, int batch, float lr, int finalEpochs, int searchEpochs, int supernetChannels,
                              int supernetCells, float supernetLr, String dartsMode, boolean secondOrder, int warmupEpochs, float archLr,
                              int controllerSteps, int enasSamples, int childrenPerUpdate, float controllerLr,
                              double baselineDecay, double entropyWeight, int controllerLayers, int controllerHidden,
                              int macroLayers, int[] strides, double maxMflops, int nasnetBlocks, int nasnetRepeats, int nasnetFilters) {

    /** Options every weight-sharing search reads. */
    private static final Set<String> COMMON = Set.of("--space", "--strategy", "--out", "--final-epochs", "--batch", "--lr",
            "--train-subset", "--dataset", "--data-dir", "--validation", "--device", "--threads", "--seed", "--search-epochs",
            "--supernet-lr", "--help", "--version");
    private static final Set<String> SUPERNET = Set.of("--supernet-channels", "--supernet-cells");
    private static final Set<String> NASNET = Set.of("--nasnet-blocks", "--nasnet-repeats", "--nasnet-filters");
    private static final Set<String> DARTS = Set.of("--darts-mode", "--second-order", "--arch-lr", "--warmup-epochs");
    private static final Set<String> ENAS = Set.of("--children-per-update", "--controller-lr", "--baseline-decay", "--entropy-weight",
            "--controller-layers", "--controller-hidden", "--controller-steps", "--enas-samples");
    /**
     * The nasnet supernet's defaults, sized for 2 cores (times in the README): F = 4, one cell per
     * stage; DARTS 2 epochs over --train-subset (every step runs all 6 operations of 20 edges in 5
     * cells), ENAS 10 (a step runs one child). DARTS' alpha learning rate is 10x the paper's there:
     * 2 epochs of 6,000 images are about 1% of the paper's steps, and alpha would barely leave its start.
     */
    private static final int NASNET_CHANNELS = 4, NASNET_DARTS_EPOCHS = 2, NASNET_ENAS_EPOCHS = 10;
    private static final float NASNET_ARCH_LR = 3e-3f;
    private static final Set<String> ENAS_MACRO = Set.of("--max-layers", "--strides", "--max-mflops");

    static OneShotSettings of(SearchCommand c, List<String> given) {
        String strategy = c.strategy, space = c.space;
        boolean darts = strategy.equals("darts");
        boolean nasnet = space.equals("nasnet");
        if (darts && !space.equals("nb201") && !nasnet)
            throw new UserError("--strategy darts relaxes the operations on the edges of a cell, so it searches nb201 or nasnet"
                    + " cells (--space nb201|nasnet); " + space + (space.equals("macro-cnn")
                    ? " networks have no such edges: --strategy enas shares their weights" : " has no weight-sharing search yet"));
        if (!darts && !space.equals("nb201") && !nasnet && !space.equals("macro-cnn"))
            throw new UserError("--strategy enas shares weights across nb201 cells, nasnet cells or macro-cnn networks; " + space
                    + " has no supernet yet (its tree cells change their leaf count and wiring from child to child, so which"
                    + " weights two children share is still open): search it with reinforce, evolution, smbo, bo or random");
        List<String> allowed = new ArrayList<>(COMMON);
        if (space.equals("nb201") || nasnet) allowed.addAll(SUPERNET);
        if (nasnet) allowed.addAll(NASNET);
        allowed.addAll(darts ? DARTS : ENAS);
        if (!darts && space.equals("macro-cnn")) allowed.addAll(ENAS_MACRO);
        for (String name : given)
            if (!allowed.contains(name))
                throw new UserError(name + " has no meaning for --strategy " + strategy + " on --space " + space
                        + " (weight sharing trains no child on its own); leave it out");
        OneShotOptions o = c.oneShot;
        if (o.dartsMode != null) {
            try {
                DartsConfig.Mode.parse(o.dartsMode);
            } catch (IllegalArgumentException e) {
                throw new UserError("--darts-mode: " + e.getMessage());
            }
            if (nasnet && o.dartsMode.equals(DartsConfig.Mode.AUX_SKIP.cliName()))
                throw new UserError("--darts-mode aux-skip: the auxiliary skip is an identity on every edge, and an edge of a nasnet cell"
                        + " from a cell input may change the width or the size; use plain or gdas on --space nasnet");
        }
        boolean nb201 = space.equals("nb201");
        // about 30 minutes of search on 2 cores for nb201; nasnet's defaults: see the README (weight sharing)
        int epochs = o.searchEpochs != null ? o.searchEpochs : nb201 ? 20 : nasnet ? (darts ? NASNET_DARTS_EPOCHS : NASNET_ENAS_EPOCHS) : 3;
        requireAtLeast("--search-epochs", epochs, 1);
        requireAtLeast("--batch", c.batch, 2);
        requireAtLeast("--final-epochs", c.finalEpochs, 0);
        int warmup = o.warmupEpochs != null ? o.warmupEpochs : 0;
        if (warmup < 0 || warmup >= epochs)
            throw new UserError("--warmup-epochs (" + warmup + ") must be >= 0 and fewer than --search-epochs (" + epochs + ")");
        int channels = o.supernetChannels != null ? o.supernetChannels : nasnet ? NASNET_CHANNELS : 8;
        int cells = o.supernetCells != null ? o.supernetCells : 1;
        requireAtLeast("--supernet-channels", channels, 1);
        requireAtLeast("--supernet-cells", cells, 1);
        int steps = o.controllerSteps != null ? o.controllerSteps : 20, samples = o.enasSamples != null ? o.enasSamples : 100;
        requireAtLeast("--controller-steps", steps, 1);
        requireAtLeast("--enas-samples", samples, 1);
        requireAtLeast("--children-per-update", c.childrenPerUpdate, 1);
        if (nasnet) {
            if (c.nasnetBlocks < 1 || c.nasnetBlocks > NasNet.MAX_BLOCKS)
                throw new UserError("--nasnet-blocks (" + c.nasnetBlocks + ") must be 1.." + NasNet.MAX_BLOCKS);
            requireAtLeast("--nasnet-repeats", c.nasnetRepeats, 1);
            requireAtLeast("--nasnet-filters", c.nasnetFilters, 1);
        }
        return new OneShotSettings(space, strategy, c.data.dataset, c.data.dataDir == null ? null : c.data.dataDir.toString(),
                c.data.validation, c.trainSubset, c.engine.seed, c.batch, c.lr, c.finalEpochs, epochs, channels, cells,
                o.supernetLr != null ? o.supernetLr : darts ? 0.025f : 0.05f, o.dartsMode != null ? o.dartsMode : "plain",
                o.secondOrder, warmup, o.archLr != null ? o.archLr : nasnet ? NASNET_ARCH_LR : 3e-4f, steps, samples, c.childrenPerUpdate,
                c.controllerLr != null ? c.controllerLr : 3.5e-3f, c.baselineDecay, c.entropyWeight, c.controllerLayers,
                c.controllerHidden, c.maxLayers, c.strides, c.goal.maxMflops, c.nasnetBlocks, c.nasnetRepeats, c.nasnetFilters);
    }

    /** DARTS' configuration from these settings. */
    DartsConfig darts() {
        return DartsConfig.defaults().withMode(DartsConfig.Mode.parse(dartsMode)).withSecondOrder(secondOrder).withEpochs(searchEpochs)
                .withWarmup(warmupEpochs)
                .withBatch(batch).withLr(supernetLr).withArchLr(archLr).withSupernet(supernetChannels, supernetCells)
                .withAugment(dataset.equals("cifar10")).withSeed(seed);
    }

    private static void requireAtLeast(String option, int value, int min) {
        if (value < min) throw new UserError(option + " (" + value + ") must be >= " + min);
    }
}
