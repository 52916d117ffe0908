package org.nasengine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nasengine.tensor.Tensor;

/**
 * A layer or a network of layers: owns its parameters (trainable, unscoped tensors), its state
 * (running statistics) and its child modules, and carries the train/eval mode down to them.
 * Forward signatures differ by module, so each subclass declares its own.
 */
public abstract class Module implements AutoCloseable {
    private final List<Tensor> params = new ArrayList<>();
    private final List<Tensor> state = new ArrayList<>();
    private final List<Module> children = new ArrayList<>();
    private boolean training = true;

    protected final Tensor registerParameter(Tensor p) {
        if (!p.requiresGrad()) throw new IllegalArgumentException("parameter " + p + " does not require a gradient");
        params.add(p);
        return p;
    }

    /** Non-trainable tensors the module owns and closes (running mean and variance). */
    protected final Tensor registerState(Tensor s) {
        state.add(s);
        return s;
    }

    protected final <M extends Module> M registerChild(M child) {
        children.add(child);
        child.train(training);
        return child;
    }

    /** This module's parameters, then its children's in registration order. */
    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>(params);
        for (Module c : children) all.addAll(c.parameters());
        return Collections.unmodifiableList(all);
    }

    /** This module's state tensors, then its children's. */
    public List<Tensor> stateTensors() {
        List<Tensor> all = new ArrayList<>(state);
        for (Module c : children) all.addAll(c.stateTensors());
        return Collections.unmodifiableList(all);
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Tensor::size).sum();
    }

    public Module train(boolean on) {
        training = on;
        for (Module c : children) c.train(on);
        return this;
    }

    public Module train() { return train(true); }
    public Module eval() { return train(false); }
    public boolean isTraining() { return training; }

    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /** Releases parameters, state and children. */
    @Override
    public void close() {
        for (Module c : children) c.close();
        for (Tensor p : params) p.close();
        for (Tensor s : state) s.close();
    }
}
