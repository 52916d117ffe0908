package org.nasengine.backend;

/** Elementwise binary functions, with broadcasting described by {@link Broadcast}. */
public enum Binary { ADD, SUB, MUL, DIV }
