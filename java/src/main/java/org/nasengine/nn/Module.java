package org.nasengine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Pattern;
import org.nasengine.tensor.Tensor;

/**
 * A layer or a network of layers: owns its parameters (trainable, unscoped tensors), its state
 * (running statistics) and its child modules, and carries the train/eval mode down to them.
 * Forward signatures differ by module, so each subclass declares its own.
 *
 * <p>Every parameter, state tensor and child has a name; {@link #namedTensors()} joins them with
 * dots from the root ({@code layers.3.conv.weight}, {@code layers.3.bn.running_mean}), the names a
 * saved network's tensors carry. A child's name may itself hold dots ({@code layers.3.conv}) to
 * place it in a path that has no module of its own. Unnamed registrations get their index.
 */
public abstract class Module implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    private final List<Tensor> params = new ArrayList<>();
    private final List<String> paramNames = new ArrayList<>();
    private final List<Tensor> state = new ArrayList<>();
    private final List<String> stateNames = new ArrayList<>();
    private final List<Module> children = new ArrayList<>();
    private final List<String> childNames = new ArrayList<>();
    private boolean training = true;

    /** A trainable tensor named {@code name} under this module (e.g. {@code weight}). */
    protected final Tensor registerParameter(String name, Tensor p) {
        if (!p.requiresGrad()) throw new IllegalArgumentException("parameter " + p + " does not require a gradient");
        paramNames.add(checkName(name));
        params.add(p);
        return p;
    }

    protected final Tensor registerParameter(Tensor p) {
        return registerParameter("param" + params.size(), p);
    }

    /** A non-trainable tensor the module owns and closes (running mean and variance), and saves. */
    protected final Tensor registerState(String name, Tensor s) {
        stateNames.add(checkName(name));
        state.add(s);
        return s;
    }

    protected final Tensor registerState(Tensor s) {
        return registerState("state" + state.size(), s);
    }

    protected final <M extends Module> M registerChild(String name, M child) {
        childNames.add(checkName(name));
        children.add(child);
        child.train(training);
        return child;
    }

    protected final <M extends Module> M registerChild(M child) {
        return registerChild(String.valueOf(children.size()), child);
    }

    private static String checkName(String name) {
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException("module member name '" + name + "' must be dot-separated [A-Za-z0-9_]+ parts");
        return name;
    }

    /**
     * Every parameter and state tensor by its dotted path from this module, in the order of
     * {@link #parameters()} for each module's own (parameters, then state, then children).
     */
    public SequencedMap<String, Tensor> namedTensors() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableSequencedMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        for (int i = 0; i < params.size(); i++) put(out, prefix + paramNames.get(i), params.get(i));
        for (int i = 0; i < state.size(); i++) put(out, prefix + stateNames.get(i), state.get(i));
        for (int i = 0; i < children.size(); i++) children.get(i).collect(prefix + childNames.get(i) + ".", out);
    }

    private static void put(Map<String, Tensor> out, String name, Tensor t) {
        if (out.putIfAbsent(name, t) != null) throw new IllegalStateException("two tensors are named " + name);
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
