package org.nasengine.backend.ref;

import org.nasengine.backend.Buffer;

/** Entry checks shared by the reference ops: every buffer is ours, live, and long enough. */
final class Args {
    private Args() {}

    /** The storage of a required buffer that must hold {@code needed} elements. */
    static double[] need(String op, String role, Buffer b, long needed) {
        if (b == null) throw new IllegalArgumentException(op + ": " + role + " buffer is null");
        return optional(op, role, b, needed);
    }

    /** Like {@link #need} but a null buffer (an unwanted output or a zero input) gives null. */
    static double[] optional(String op, String role, Buffer b, long needed) {
        if (b == null) return null;
        if (!(b instanceof HostBuffer hb))
            throw new IllegalArgumentException(op + ": " + role + " is a " + b.getClass().getSimpleName()
                    + ", not a buffer of the java backend");
        if (!hb.live) throw new IllegalStateException(op + ": " + role + " buffer was released");
        if (needed < 0) throw new IllegalArgumentException(op + ": " + role + " length (" + needed + ") must be >= 0");
        if (hb.data.length < needed)
            throw new IllegalArgumentException(op + ": " + role + " holds " + hb.data.length
                    + " elements, needs " + needed);
        return hb.data;
    }

    /** The storage of {@code b}, checking that [offset, offset + count) lies inside it. */
    static double[] range(String op, String role, Buffer b, long offset, long count) {
        if (offset < 0 || count < 0)
            throw new IllegalArgumentException(op + ": " + role + " offset (" + offset + ") and count (" + count
                    + ") must be >= 0");
        return need(op, role, b, offset + count);
    }

    static void positive(String op, String role, long value) {
        if (value <= 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be > 0");
    }

    static void nonNegative(String op, String role, long value) {
        if (value < 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be >= 0");
    }

    /** An int32 value stored in a double buffer, checked against [0, bound). */
    static int index(String op, String role, double stored, int position, long bound) {
        int v = (int) stored;
        if (v != stored || v < 0 || v >= bound)
            throw new IllegalArgumentException(op + ": " + role + "[" + position + "] (" + stored
                    + ") must be an integer in [0, " + bound + ")");
        return v;
    }
}
