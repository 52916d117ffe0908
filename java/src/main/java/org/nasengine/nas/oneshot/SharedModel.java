package org.nasengine.nas.oneshot;

import org.nasengine.nas.space.Architecture;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * A supernet seen by ENAS: the shared weights of every child of a space, and the forward of one
 * child on them. Running a child builds nothing: it only selects (or slices) weights that exist.
 */
public interface SharedModel extends AutoCloseable {

    /** Logits (N, classes) of {@code child} on images (N, C, H, W), with the shared weights. */
    Tensor forward(Architecture child, Tensor images);

    /** The module that owns the shared weights (parameters, batch-norm state, train/eval mode). */
    Module module();

    /** Forward FLOPs per example of {@code child} as the supernet runs it. */
    double childFlops(Architecture child);

    @Override
    default void close() {
        module().close();
    }
}
