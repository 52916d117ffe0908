package org.nasengine.backend;

/**
 * Elementwise functions. Backward uses x (the input) or y (the output), whichever is cheaper:
 * relu: dy*(x>0); tanh: dy*(1-y^2); sigmoid: dy*y*(1-y); exp: dy*y; log: dy/x; neg: -dy;
 * square: 2*x*dy; logSigmoid(x) = log(1/(1+e^-x)) computed stably, derivative 1-sigmoid(x).
 */
public enum Unary { IDENTITY, RELU, TANH, SIGMOID, EXP, LOG, NEG, SQUARE, LOG_SIGMOID }
