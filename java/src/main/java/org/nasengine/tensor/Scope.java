package org.nasengine.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created while it is open (on this thread) and returns their buffers to the
 * backend pool when closed. A training step runs inside one scope, so its activations and
 * gradients recycle step after step; parameters are created outside any scope and live on.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope() {}

    public static Scope open() {
        Scope s = new Scope();
        OPEN.get().push(s);
        return s;
    }

    static void adopt(Tensor t) {
        Scope s = OPEN.get().peek();
        if (s != null) s.owned.add(t);
    }

    /** Takes a tensor out of this scope so that it survives the scope's close. */
    public Tensor keep(Tensor t) {
        owned.remove(t);
        return t;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ArrayDeque<Scope> stack = OPEN.get();
        if (stack.peek() != this) throw new IllegalStateException("scopes must close in reverse order of opening");
        stack.pop();
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}
