package org.nasengine.cli;

import java.util.List;
import org.nasengine.nas.search.Objective;
import org.nasengine.nas.space.CostBudget;

/**
 * What a search aims for and how it spends its samples: the cost budget enforced while sampling
 * (and as a hard cap behind it), the reward's objective, and the multi-fidelity promotion of the
 * best children before the final retraining. Saved in settings.json with the rest.
 *
 * @param maxMflops forward MFLOPs per example a child may cost (0: no limit)
 * @param maxParams parameters a child may have (0: no limit)
 * @param objective "accuracy" or "mnasnet"
 * @param costTargetMflops MnasNet's target cost T
 * @param costWeight MnasNet's exponent w
 * @param cubeReward cube the reward (Zoph and Le)
 * @param promote how many of the best children are evaluated again at the higher fidelity (0: none)
 * @param promoteEpochs epochs of that evaluation
 * @param promoteSubset training images of that evaluation (0: the whole split)
 * @param references hand-written architecture files evaluated on the proxy and marked on the cost panel
 */
public record SearchGoal(double maxMflops, long maxParams, String objective, double costTargetMflops, double costWeight,
                         boolean cubeReward, int promote, int promoteEpochs, int promoteSubset, List<String> references) {
    static final List<String> OBJECTIVES = List.of("accuracy", "mnasnet");

    public SearchGoal {
        references = references == null ? List.of() : List.copyOf(references);
        if (!(maxMflops >= 0)) throw new UserError("--max-mflops (" + maxMflops + ") must be >= 0 (0: no limit)");
        if (maxParams < 0) throw new UserError("--max-params (" + maxParams + ") must be >= 0 (0: no limit)");
        if (!OBJECTIVES.contains(objective))
            throw new UserError("--objective '" + objective + "' is not one of " + String.join(", ", OBJECTIVES));
        if (objective.equals("mnasnet")) {
            if (!(costTargetMflops > 0)) throw new UserError("--cost-target (" + costTargetMflops + ") must be > 0 MFLOPs");
            if (!Double.isFinite(costWeight) || costWeight > 0)
                throw new UserError("--cost-weight (" + costWeight + ") must be a number <= 0 (MnasNet: -0.07)");
        }
        if (promote < 0) throw new UserError("--promote (" + promote + ") must be >= 0");
        if (promote > 0 && promoteEpochs < 1) throw new UserError("--promote-epochs (" + promoteEpochs + ") must be >= 1");
        if (promoteSubset < 0) throw new UserError("--promote-subset (" + promoteSubset + ") must be >= 0 (0: the whole split)");
    }

    CostBudget budget() {
        return new CostBudget(maxMflops * 1e6, maxParams);
    }

    Objective rewardObjective() {
        return objective.equals("mnasnet") ? new Objective(Objective.Kind.MNASNET, costTargetMflops * 1e6, costWeight) : Objective.ACCURACY;
    }
}
