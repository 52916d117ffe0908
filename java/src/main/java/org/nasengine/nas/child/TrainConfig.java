package org.nasengine.nas.child;

/**
 * How one image child is trained. Defaults follow Zoph and Le: SGD with Nesterov momentum 0.9,
 * lr 0.1, weight decay 1e-4, cosine schedule; the reward is the best validation accuracy of the
 * last {@code rewardEpochs} epochs, optionally cubed.
 */
public record TrainConfig(int epochs, int batch, float lr, String optimizer, float momentum, float weightDecay,
                          boolean nesterov, String schedule, int maxSteps, int rewardEpochs, boolean cubeReward,
                          boolean augment, long seed) {

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs (" + epochs + ") must be >= 1");
        if (batch < 2) throw new IllegalArgumentException("batch (" + batch + ") must be >= 2 (batch norm needs two examples)");
        if (!(lr > 0)) throw new IllegalArgumentException("lr (" + lr + ") must be > 0");
        if (!optimizer.equals("sgd") && !optimizer.equals("adam"))
            throw new IllegalArgumentException("optimizer '" + optimizer + "' must be sgd or adam");
        if (!schedule.equals("cosine") && !schedule.equals("step") && !schedule.equals("constant"))
            throw new IllegalArgumentException("schedule '" + schedule + "' must be cosine, step or constant");
        if (rewardEpochs < 1) throw new IllegalArgumentException("reward epochs (" + rewardEpochs + ") must be >= 1");
        if (maxSteps < 0) throw new IllegalArgumentException("max steps (" + maxSteps + ") must be >= 0 (0: no limit)");
    }

    public static TrainConfig defaults() {
        return new TrainConfig(3, 128, 0.1f, "sgd", 0.9f, 1e-4f, true, "cosine", 0, 5, false, false, 0);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batch, lr, optimizer, momentum, weightDecay, nesterov, schedule, maxSteps, rewardEpochs,
                cubeReward, augment, seed);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batch, lr, optimizer, momentum, weightDecay, nesterov, schedule, maxSteps,
                rewardEpochs, cubeReward, augment, s);
    }
}
