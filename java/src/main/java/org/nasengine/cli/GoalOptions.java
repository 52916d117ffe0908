package org.nasengine.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The search's options on cost, objective and fidelity; they bind to one {@link SearchGoal}. */
public final class GoalOptions {
    @Option(names = "--max-mflops", defaultValue = "40",
            description = {"Cost budget: children above this many forward MFLOPs per example are never sampled (the controller masks",
                    "choices whose cheapest completion cannot fit; every strategy samples the same masked space); also a hard cap",
                    "for children that come from elsewhere (0: no limit). Default: ${DEFAULT-VALUE}."})
    double maxMflops;
    @Option(names = "--max-params", defaultValue = "0", description = "Cost budget on parameters, enforced the same way (0: no limit). Default: ${DEFAULT-VALUE}.")
    long maxParams;
    @Option(names = "--objective", defaultValue = "accuracy",
            description = "Reward: accuracy, or mnasnet = accuracy * (MFLOPs / --cost-target)^--cost-weight (a soft cost penalty). Default: ${DEFAULT-VALUE}.")
    String objective;
    @Option(names = "--cost-target", defaultValue = "20", description = "mnasnet objective: the target MFLOPs T. Default: ${DEFAULT-VALUE}.")
    double costTarget;
    @Option(names = "--cost-weight", defaultValue = "-0.07", description = "mnasnet objective: the exponent w (<= 0). Default: ${DEFAULT-VALUE}.")
    double costWeight;
    @Option(names = "--cube-reward", description = "Cube the reward (Zoph and Le); the reward is the best validation accuracy of the last 5 proxy epochs.")
    boolean cubeReward;
    @Option(names = "--promote", defaultValue = "2",
            description = "Multi-fidelity: evaluate the best N children again at the higher fidelity below and retrain the best of those (0: retrain the proxy's best). Default: ${DEFAULT-VALUE}.")
    int promote;
    @Option(names = "--promote-epochs", defaultValue = "1", description = "Epochs of the higher fidelity. Default: ${DEFAULT-VALUE}.")
    int promoteEpochs;
    @Option(names = "--promote-subset", defaultValue = "12000",
            description = "Training images of the higher fidelity (0: the whole split). Default: ${DEFAULT-VALUE}.")
    int promoteSubset;
    @Option(names = "--reference", description = "A hand-written architecture file to evaluate on the proxy and mark on report.png's cost panel (repeatable).")
    List<String> references = new ArrayList<>();

    SearchGoal goal() {
        return new SearchGoal(maxMflops, maxParams, objective, costTarget, costWeight, cubeReward, promote, promoteEpochs, promoteSubset,
                references);
    }
}
