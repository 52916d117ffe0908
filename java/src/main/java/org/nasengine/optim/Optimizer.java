package org.nasengine.optim;

import java.util.List;
import org.nasengine.tensor.Tensor;

/**
 * Updates a fixed list of parameters from their accumulated gradients. Optimizer state lives in
 * backend buffers allocated once at construction, so a step allocates nothing.
 */
public interface Optimizer extends AutoCloseable {
    /** One update with this learning rate; parameters that received no gradient are left alone. */
    void step(float lr);

    List<Tensor> parameters();

    /** Zeroes every parameter's gradient (they accumulate across backward passes). */
    default void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /** Releases the optimizer state (not the parameters). */
    @Override void close();
}
