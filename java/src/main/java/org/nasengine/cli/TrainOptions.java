package org.nasengine.cli;

import org.nasengine.nas.child.TrainConfig;
import picocli.CommandLine.Option;

/** How a child is trained (train command, and the final retraining of a search). */
public final class TrainOptions {
    @Option(names = "--batch", defaultValue = "128", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate (SGD, Nesterov 0.9, weight decay 1e-4, cosine). Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adam. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, step or constant. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(names = "--augment", description = "Random crop (pad 4) and horizontal flip, for CIFAR-shaped data.")
    boolean augment;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many steps (0: no limit). Default: ${DEFAULT-VALUE}.")
    int maxSteps;

    @Option(names = "--reward-epochs", defaultValue = "5",
            description = "Reward = best validation accuracy of the last N epochs. Default: ${DEFAULT-VALUE}.")
    int rewardEpochs;

    @Option(names = "--cube-reward", description = "Cube the reward, as Zoph and Le do.")
    boolean cubeReward;

    TrainConfig config(int epochs, long seed) {
        return new TrainConfig(epochs, batch, lr, optimizer, 0.9f, weightDecay, true, schedule, maxSteps, rewardEpochs,
                cubeReward, augment, seed);
    }
}
