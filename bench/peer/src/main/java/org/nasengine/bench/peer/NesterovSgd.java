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
    private final Map<String, Map<ai.djl.Device, NDArray>> velocity = new ConcurrentHashMap<>();

    private NesterovSgd(Builder b) {
        super(b);
        this.lr = b.lr;
        this.momentum = b.momentum;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String id, NDArray weight, NDArray grad) {
        updateCount(id);
        NDArray v = withDefaultState(velocity, id, weight.getDevice(), k -> weight.zerosLike());
        NDArray g = weight.mul(getWeightDecay()); // g' = grad + wd * w
        g.addi(grad);
        v.muli(momentum).addi(g);                // v = mu v + g'
        NDArray look = v.mul(momentum);          // g' + mu v
        look.addi(g).muli(lr);
        weight.subi(look);
        look.close();
        g.close();
    }

    public static final class Builder extends OptimizerBuilder<Builder> {
        private float lr = 0.1f, momentum = 0.9f;

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
