package org.nasengine.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.nasengine.backend.Buffer;

/**
 * Entry checks of the native ops, done in Java so that C never sees a short or foreign buffer:
 * every buffer is a live buffer of this backend, long enough for the geometry. Messages name
 * the op, the role and the sizes.
 */
final class NativeArgs {
    private NativeArgs() {}

    /** The segment of a required buffer that must hold {@code needed} elements. */
    static MemorySegment need(NativeBackend be, String op, String role, Buffer b, long needed) {
        if (b == null) throw new IllegalArgumentException(op + ": " + role + " buffer is null");
        return optional(be, op, role, b, needed);
    }

    /** Like {@link #need}, but a null buffer (an unwanted output) gives {@link MemorySegment#NULL}. */
    static MemorySegment optional(NativeBackend be, String op, String role, Buffer b, long needed) {
        if (b == null) return MemorySegment.NULL;
        if (!(b instanceof NativeBuffer nb) || nb.owner != be)
            throw new IllegalArgumentException(op + ": " + role + " is a " + b.getClass().getSimpleName()
                    + ", not a buffer of this native backend");
        if (!nb.live) throw new IllegalStateException(op + ": " + role + " buffer was released");
        if (needed < 0) throw new IllegalArgumentException(op + ": " + role + " length (" + needed + ") must be >= 0");
        if (nb.length() < needed)
            throw new IllegalArgumentException(op + ": " + role + " holds " + nb.length() + " elements, needs " + needed);
        return nb.segment;
    }

    /** The segment of {@code b}, checking that [offset, offset + count) lies inside it. */
    static MemorySegment range(NativeBackend be, String op, String role, Buffer b, long offset, long count) {
        if (offset < 0 || count < 0)
            throw new IllegalArgumentException(op + ": " + role + " offset (" + offset + ") and count (" + count
                    + ") must be >= 0");
        return need(be, op, role, b, offset + count);
    }

    static void positive(String op, String role, long value) {
        if (value <= 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be > 0");
    }

    static void nonNegative(String op, String role, long value) {
        if (value < 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be >= 0");
    }

    /** Turns a nasengine.h error code into an exception naming the op. */
    static void check(String op, int rc, String detail) {
        switch (rc) {
            case 0 -> { }
            case 1 -> throw new OutOfMemoryError(op + ": native scratch allocation failed (" + detail + ")");
            case 2 -> throw new IllegalArgumentException(op + ": native code rejected the geometry (" + detail + ")");
            case 3 -> throw new IllegalArgumentException(op + ": an index is out of range (" + detail + ")");
            default -> throw new IllegalStateException(op + ": native error code " + rc + " (" + detail + ")");
        }
    }

    /** Names the first id outside [0, bound) of an int32 buffer, for the error message. */
    static String badIndex(String role, MemorySegment ids, int count, long bound) {
        for (int i = 0; i < count; i++) {
            int v = ids.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i);
            if (v < 0 || v >= bound) return role + "[" + i + "] (" + v + ") must be in [0, " + bound + ")";
        }
        return role + " out of [0, " + bound + ")";
    }
}
