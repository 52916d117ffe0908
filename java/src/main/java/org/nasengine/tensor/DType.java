package org.nasengine.tensor;

/** Element types: float32 for values, int32 for labels and token ids. */
public enum DType { FLOAT32, INT32 }
