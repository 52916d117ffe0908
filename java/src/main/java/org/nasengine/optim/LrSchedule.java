package org.nasengine.optim;

/** The learning rate as a function of the 0-based step (or epoch, as the caller counts). */
@FunctionalInterface
public interface LrSchedule {
    float at(int step);

    static LrSchedule constant(float lr) {
        requireRate("lr", lr);
        return step -> lr;
    }

    /**
     * Cosine annealing from base to min over totalSteps: base at step 0, min at totalSteps and after.
     */
    static LrSchedule cosine(float base, float min, int totalSteps) {
        requireRate("base", base);
        requireRate("min", min);
        if (totalSteps <= 0) throw new IllegalArgumentException("totalSteps (" + totalSteps + ") must be > 0");
        return step -> {
            double t = Math.min(Math.max(step, 0), totalSteps) / (double) totalSteps;
            return (float) (min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * t)));
        };
    }

    /** base * gamma^(step / every): multiplied by gamma every {@code every} steps. */
    static LrSchedule step(float base, float gamma, int every) {
        requireRate("base", base);
        if (!(gamma > 0)) throw new IllegalArgumentException("gamma (" + gamma + ") must be > 0");
        if (every <= 0) throw new IllegalArgumentException("every (" + every + ") must be > 0");
        return step -> (float) (base * Math.pow(gamma, Math.max(step, 0) / every));
    }

    private static void requireRate(String role, float value) {
        if (!(value >= 0) || Float.isInfinite(value))
            throw new IllegalArgumentException(role + " learning rate (" + value + ") must be finite and >= 0");
    }
}
