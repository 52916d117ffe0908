package org.nasengine.nas.child;

import java.util.List;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/** A child that classifies images: (N, C, H, W) in, logits (N, classes) out. */
public abstract class ImageNetwork extends Module {

    /** Logits (N, classes) for images (N, C, H, W). */
    public abstract Tensor forward(Tensor images);

    /** One row per layer (or cell) for an input of (C, H, W): output shape, parameters, forward FLOPs per example. */
    public abstract List<LayerSummary> summary();

    public double flopsPerExample() {
        return summary().stream().mapToDouble(LayerSummary::flops).sum();
    }
}
