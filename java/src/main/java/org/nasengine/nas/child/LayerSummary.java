package org.nasengine.nas.child;

/** A row of {@code describe}: a layer's name, output shape (C, H, W or features), parameters and forward FLOPs per example. */
public record LayerSummary(String name, int[] outputShape, long params, double flops) {}
