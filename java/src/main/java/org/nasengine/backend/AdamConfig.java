package org.nasengine.backend;

/**
 * Adam step t (1-based): g' = grad + weightDecay*param; m = b1*m + (1-b1)*g'; v = b2*v + (1-b2)*g'^2;
 * param -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps).
 */
public record AdamConfig(float beta1, float beta2, float eps, float weightDecay) {
    public static AdamConfig defaults() { return new AdamConfig(0.9f, 0.999f, 1e-8f, 0f); }
}
