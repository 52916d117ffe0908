package org.nasengine.backend;

import java.util.function.Predicate;

/**
 * The entry checks every backend runs on an op's arguments, written once: each buffer is one of
 * this backend's, still live, and long enough for the geometry; sizes are in range. Messages name
 * the op, the role and the values. A backend supplies only how it recognises its own buffers and
 * whether one is live; it keeps a one-line adapter that turns the checked buffer into its storage
 * (a {@code double[]}, a memory segment, a device pointer).
 *
 * @param <B> the backend's buffer class
 */
public final class OpChecks<B extends Buffer> {
    private final String owner;
    private final Class<B> type;
    private final Predicate<B> ours;
    private final Predicate<B> live;

    /**
     * @param owner how messages name the backend: "the java backend", "this native backend"
     * @param type  its buffer class
     * @param ours  whether a buffer of that class belongs to this backend instance
     * @param live  false once the buffer went back to the pool: a use after release, which pooling
     *              would otherwise hide by handing the memory to someone else
     */
    public OpChecks(String owner, Class<B> type, Predicate<B> ours, Predicate<B> live) {
        this.owner = owner;
        this.type = type;
        this.ours = ours;
        this.live = live;
    }

    /** A required buffer that must hold {@code needed} elements. */
    public B need(String op, String role, Buffer b, long needed) {
        if (b == null) throw new IllegalArgumentException(op + ": " + role + " buffer is null");
        return optional(op, role, b, needed);
    }

    /** Like {@link #need}, but null (an unwanted output, or an input read as zero) passes as null. */
    public B optional(String op, String role, Buffer b, long needed) {
        if (b == null) return null;
        if (!type.isInstance(b) || !ours.test(type.cast(b)))
            throw new IllegalArgumentException(op + ": " + role + " is a " + b.getClass().getSimpleName()
                    + ", not a buffer of " + owner);
        B mine = type.cast(b);
        if (!live.test(mine)) throw new IllegalStateException(op + ": " + role + " buffer was released");
        if (needed < 0) throw new IllegalArgumentException(op + ": " + role + " length (" + needed + ") must be >= 0");
        if (mine.length() < needed)
            throw new IllegalArgumentException(op + ": " + role + " holds " + mine.length() + " elements, needs " + needed);
        return mine;
    }

    /** A required buffer in which [offset, offset + count) must lie. */
    public B range(String op, String role, Buffer b, long offset, long count) {
        if (offset < 0 || count < 0)
            throw new IllegalArgumentException(op + ": " + role + " offset (" + offset + ") and count (" + count
                    + ") must be >= 0");
        return need(op, role, b, offset + count);
    }

    public static void positive(String op, String role, long value) {
        if (value <= 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be > 0");
    }

    public static void nonNegative(String op, String role, long value) {
        if (value < 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be >= 0");
    }
}
