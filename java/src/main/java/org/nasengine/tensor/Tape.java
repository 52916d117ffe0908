package org.nasengine.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The reverse-mode tape of this thread: each op that produces a tensor needing a gradient
 * records one backward step; {@link Tensor#backward()} runs them newest first and clears the tape.
 * Backward steps accumulate (+=) into their inputs' gradients, so fan-out just works.
 */
public final class Tape {
    private static final ThreadLocal<Tape> CURRENT = ThreadLocal.withInitial(Tape::new);
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final List<Runnable> steps = new ArrayList<>();

    private Tape() {}

    public static Tape current() { return CURRENT.get(); }

    /** True when ops should record: grad mode on and some input needs a gradient. */
    public static boolean recording(Tensor... inputs) {
        if (NO_GRAD_DEPTH.get()[0] > 0) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    public static boolean gradEnabled() { return NO_GRAD_DEPTH.get()[0] == 0; }

    /** Evaluation mode: ops inside record nothing. */
    public static Guard noGrad() {
        int[] depth = NO_GRAD_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** A try-with-resources guard whose close throws nothing. */
    public interface Guard extends AutoCloseable {
        @Override void close();
    }

    public void record(Runnable backwardStep) { steps.add(backwardStep); }

    void runBackward() {
        try {
            for (int i = steps.size() - 1; i >= 0; i--) steps.get(i).run();
        } finally {
            steps.clear();
        }
    }

    /** Drops recorded steps without running them (e.g. after an evaluation that recorded). */
    public void clear() { steps.clear(); }
}
