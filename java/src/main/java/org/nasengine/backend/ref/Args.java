package org.nasengine.backend.ref;

import org.nasengine.backend.Buffer;
import org.nasengine.backend.OpChecks;

/** The reference ops' view of {@link OpChecks}: a checked buffer's storage, and int32 values held as doubles. */
final class Args {
    private Args() {}

    /** Any live HostBuffer is ours: the reference backend keeps no per-instance ownership. */
    private static final OpChecks<HostBuffer> HOST =
            new OpChecks<>("the java backend", HostBuffer.class, b -> true, b -> b.live);

    /** The storage of a required buffer that must hold {@code needed} elements. */
    static double[] need(String op, String role, Buffer b, long needed) {
        return HOST.need(op, role, b, needed).data;
    }

    /** Like {@link #need} but a null buffer (an unwanted output or a zero input) gives null. */
    static double[] optional(String op, String role, Buffer b, long needed) {
        HostBuffer hb = HOST.optional(op, role, b, needed);
        return hb == null ? null : hb.data;
    }

    /** The storage of {@code b}, checking that [offset, offset + count) lies inside it. */
    static double[] range(String op, String role, Buffer b, long offset, long count) {
        return HOST.range(op, role, b, offset, count).data;
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
