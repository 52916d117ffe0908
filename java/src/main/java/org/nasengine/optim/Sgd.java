package org.nasengine.optim;

import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.SgdConfig;
import org.nasengine.tensor.Tensor;

/** SGD with optional (Nesterov) momentum and L2 weight decay, fused per parameter in {@link Backend#sgdStep}. */
public final class Sgd implements Optimizer {
    private final List<Tensor> params;
    private final SgdConfig config;
    private final Buffer[] velocity; // one per parameter, same length; null entries without momentum

    public Sgd(List<Tensor> params, SgdConfig config) {
        if (!(config.momentum() >= 0 && config.momentum() < 1))
            throw new IllegalArgumentException("momentum (" + config.momentum() + ") must be in [0, 1)");
        if (!(config.weightDecay() >= 0))
            throw new IllegalArgumentException("weight decay (" + config.weightDecay() + ") must be >= 0");
        if (config.nesterov() && config.momentum() == 0)
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        this.params = List.copyOf(params);
        this.config = config;
        this.velocity = new Buffer[this.params.size()];
        if (config.momentum() != 0)
            for (int i = 0; i < velocity.length; i++) velocity[i] = this.params.get(i).backend().allocate(this.params.get(i).size());
    }

    /** Plain SGD. */
    public Sgd(List<Tensor> params) {
        this(params, new SgdConfig(0f, 0f, false));
    }

    @Override
    public void step(float lr) {
        for (int i = 0; i < velocity.length; i++) {
            Tensor p = params.get(i);
            if (p.gradOrNull() == null) continue;
            p.backend().sgdStep(p.size(), config, lr, p.data(), p.gradOrNull(), velocity[i]);
        }
    }

    @Override public List<Tensor> parameters() { return params; }
    public SgdConfig config() { return config; }

    /** The momentum buffers (one per parameter; empty arrays without momentum), for a checkpoint. */
    public float[][] exportVelocity() {
        float[][] out = new float[velocity.length][];
        for (int i = 0; i < velocity.length; i++) {
            Tensor p = params.get(i);
            out[i] = new float[velocity[i] == null ? 0 : Math.toIntExact(p.size())];
            if (velocity[i] != null) p.backend().read(velocity[i], 0, out[i]);
        }
        return out;
    }

    public void importVelocity(float[][] saved) {
        if (saved.length != velocity.length)
            throw new IllegalArgumentException("SGD state for " + saved.length + " parameters, this optimizer has " + velocity.length);
        for (int i = 0; i < velocity.length; i++) {
            if (velocity[i] == null) continue;
            if (saved[i].length != params.get(i).size())
                throw new IllegalArgumentException("SGD velocity of parameter " + i + " has " + saved[i].length
                        + " values, parameter has " + params.get(i).size());
            params.get(i).backend().write(saved[i], velocity[i], 0);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < velocity.length; i++) {
            if (velocity[i] != null) params.get(i).backend().release(velocity[i]);
            velocity[i] = null;
        }
    }
}
