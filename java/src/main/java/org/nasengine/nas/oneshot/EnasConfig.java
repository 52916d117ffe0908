package org.nasengine.nas.oneshot;

/**
 * An ENAS search (Pham et al. 2018): {@code epochs} rounds of one pass of the shared weights over
 * the training split (SGD, momentum 0.9, Nesterov, cosine from {@code lr} to {@code lrMin}, weight
 * decay, gradient norm clipped; a freshly sampled child per minibatch) followed by
 * {@code controllerSteps} REINFORCE updates of {@code childrenPerUpdate} children each, every
 * child rewarded with its accuracy on one validation minibatch; at the end {@code samples}
 * children are drawn and scored, the best five again on the whole validation split.
 */
public record EnasConfig(int epochs, int batch, float lr, float lrMin, float momentum, float weightDecay, float gradClip,
                         int controllerSteps, int childrenPerUpdate, int samples, boolean augment, long seed) {

    public EnasConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs (" + epochs + ") must be >= 1");
        if (batch < 2) throw new IllegalArgumentException("batch (" + batch + ") must be >= 2");
        if (!(lr > 0) || !(lrMin >= 0) || lrMin > lr) throw new IllegalArgumentException("lr (" + lr + ") must be > 0 and >= lr min (" + lrMin + ") >= 0");
        if (controllerSteps < 1 || childrenPerUpdate < 1 || samples < 1)
            throw new IllegalArgumentException("controller steps (" + controllerSteps + "), children per update (" + childrenPerUpdate
                    + ") and samples (" + samples + ") must be >= 1");
    }

    /** Scored again on the whole validation split after the sampling. */
    public static final int FINALISTS = 5;
}
