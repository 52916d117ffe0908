package org.nasengine.cli;

import java.util.List;
import picocli.CommandLine.ParseResult;

/** Published settings a user can ask for by name; options given on the command line win. */
final class Presets {
    static final List<String> NAMES = List.of("paper");

    private Presets() {}

    static void apply(String name, SearchCommand c, ParseResult given) {
        if (!name.equals("paper")) throw new UserError("--preset '" + name + "' is not one of " + String.join(", ", NAMES));
        // Zoph and Le 2017, section 4.1: REINFORCE, 12,800 architectures, m = 8 per update, 6 layers growing by 2 every 1,600
        // samples, strides 1,2,3, each child trained 50 epochs and rewarded with the cube of its best validation
        // accuracy of the last 5 epochs; no cost budget.
        if (!given.hasMatchedOption("--strategy")) c.strategy = "reinforce";
        if (!given.hasMatchedOption("--budget")) c.budget = 12_800;
        if (!given.hasMatchedOption("--children-per-update")) c.childrenPerUpdate = 8;
        if (!given.hasMatchedOption("--layers")) c.layers = 6;
        if (!given.hasMatchedOption("--grow-by")) c.growBy = 2;
        if (!given.hasMatchedOption("--grow-every")) c.growEvery = 1_600;
        if (!given.hasMatchedOption("--max-layers")) c.maxLayers = 15;
        if (!given.hasMatchedOption("--strides")) c.strides = new int[] {1, 2, 3};
        if (!given.hasMatchedOption("--chain")) c.chained = false;
        if (!given.hasMatchedOption("--child-epochs")) c.childEpochs = 50;
        if (!given.hasMatchedOption("--train-subset")) c.trainSubset = 0;
        if (!given.hasMatchedOption("--max-mflops")) c.goal.maxMflops = 0;
        if (!given.hasMatchedOption("--cube-reward")) c.goal.cubeReward = true;
        if (!given.hasMatchedOption("--promote")) c.goal.promote = 0;
        if (!given.hasMatchedOption("--final-epochs")) c.finalEpochs = 50;
    }
}
