package org.nasengine.bench.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with Nesterov momentum and L2 weight decay, the formula of our SgdConfig (and of
 * torch.optim.SGD(nesterov=True)): g' = grad + wd*w; v = mu*v + g'; w -= lr*(g' + mu*v).
 * DJL's PyTorch engine has no Nesterov update (its Nag throws "Not implemented"), so this does it
 * with in-place NDArray ops, closing every temporary.
 */
public final class NesterovSgd extends Optimizer {
    private final float lr, momentum;
    private final int cosineSteps; // 0: constant lr; else cosine from lr to 0 over this many updates, as our trainer
    private final Map<String, Map<ai.djl.Device, NDArray>> velocity = new ConcurrentHashMap<>();

    private NesterovSgd(Builder b) {
        super(b);
        this.lr = b.lr;
        this.momentum = b.momentum;
        this.cosineSteps = b.cosineSteps;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String id, NDArray weight, NDArray grad) {
        int count = updateCount(id); // this parameter's updates so far, this one included
        NDArray v = withDefaultState(velocity, id, weight.getDevice(), k -> weight.zerosLike());
        NDArray g = weight.mul(getWeightDecay()); // g' = grad + wd * w
        g.addi(grad);
        v.muli(momentum).addi(g);                // v = mu v + g'
        NDArray look = v.mul(momentum);          // g' + mu v
        look.addi(g).muli(rate(count - 1));
        weight.subi(look);
        look.close();
        g.close();
    }

    /** The rate of 0-based update k: our LrSchedule.cosine(lr, 0, cosineSteps), or lr. */
    private float rate(int k) {
        if (cosineSteps == 0) return lr;
        double t = Math.min(Math.max(k, 0), cosineSteps) / (double) cosineSteps;
        return (float) (0.5 * lr * (1 + Math.cos(Math.PI * t)));
    }

    public static final class Builder extends OptimizerBuilder<Builder> {
        private float lr = 0.1f, momentum = 0.9f;
        private int cosineSteps;

        public Builder cosine(int steps) {
            if (steps < 0) throw new IllegalArgumentException("cosine steps (" + steps + ") must be >= 0");
            this.cosineSteps = steps;
            return this;
        }

        public Builder learningRate(float rate) {
            this.lr = rate;
            return this;
        }

        public Builder momentum(float mu) {
            this.momentum = mu;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public NesterovSgd build() {
            if (!(momentum > 0 && momentum < 1)) throw new IllegalArgumentException("momentum (" + momentum + ") must be in (0, 1)");
            return new NesterovSgd(this);
        }
    }
}
