package org.nasengine.optim;

import java.util.List;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tensor;

/** Adam with bias correction and L2 weight decay, fused per parameter in {@link Backend#adamStep}. */
public final class Adam implements Optimizer {
    private final List<Tensor> params;
    private final AdamConfig config;
    private final Buffer[] m, v; // first and second moments, one per parameter
    private int step;            // completed steps; the next update uses step + 1

    public Adam(List<Tensor> params, AdamConfig config) {
        if (!(config.beta1() >= 0 && config.beta1() < 1) || !(config.beta2() >= 0 && config.beta2() < 1))
            throw new IllegalArgumentException("Adam betas (" + config.beta1() + ", " + config.beta2() + ") must be in [0, 1)");
        if (!(config.eps() > 0)) throw new IllegalArgumentException("Adam eps (" + config.eps() + ") must be > 0");
        this.params = List.copyOf(params);
        this.config = config;
        this.m = new Buffer[this.params.size()];
        this.v = new Buffer[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            Tensor p = this.params.get(i);
            m[i] = p.backend().allocate(p.size());
            v[i] = p.backend().allocate(p.size());
        }
    }

    public Adam(List<Tensor> params) {
        this(params, AdamConfig.defaults());
    }

    @Override
    public void step(float lr) {
        step++;
        for (int i = 0; i < m.length; i++) {
            Tensor p = params.get(i);
            if (p.gradOrNull() == null) continue;
            p.backend().adamStep(p.size(), config, lr, step, p.data(), p.gradOrNull(), m[i], v[i]);
        }
    }

    /** Updates done so far (the bias-correction counter). */
    public int stepCount() { return step; }

    @Override public List<Tensor> parameters() { return params; }

    /** Moments and step counter, for a checkpoint that must resume the exact same updates. */
    public record State(int step, float[][] m, float[][] v) {}

    public State exportState() {
        float[][] ms = new float[m.length][], vs = new float[v.length][];
        for (int i = 0; i < m.length; i++) {
            Tensor p = params.get(i);
            ms[i] = new float[Math.toIntExact(p.size())];
            vs[i] = new float[Math.toIntExact(p.size())];
            p.backend().read(m[i], 0, ms[i]);
            p.backend().read(v[i], 0, vs[i]);
        }
        return new State(step, ms, vs);
    }

    public void importState(State s) {
        if (s.m().length != m.length)
            throw new IllegalArgumentException("Adam state for " + s.m().length + " parameters, this optimizer has " + m.length);
        for (int i = 0; i < m.length; i++) {
            Tensor p = params.get(i);
            if (s.m()[i].length != p.size())
                throw new IllegalArgumentException("Adam state of parameter " + i + " has " + s.m()[i].length + " values, parameter has " + p.size());
            p.backend().write(s.m()[i], m[i], 0);
            p.backend().write(s.v()[i], v[i], 0);
        }
        step = s.step();
    }
    public AdamConfig config() { return config; }

    @Override
    public void close() {
        for (int i = 0; i < m.length; i++) {
            if (m[i] != null) params.get(i).backend().release(m[i]);
            if (v[i] != null) params.get(i).backend().release(v[i]);
            m[i] = v[i] = null;
        }
    }
}
