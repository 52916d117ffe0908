package org.nasengine.backend;

/**
 * SGD step: g' = grad + weightDecay*param; v = momentum*v + g';
 * param -= lr * (nesterov ? g' + momentum*v : v). With momentum 0 the velocity is unused.
 */
public record SgdConfig(float momentum, float weightDecay, boolean nesterov) {}
