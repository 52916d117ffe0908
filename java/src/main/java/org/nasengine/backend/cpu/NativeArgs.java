package org.nasengine.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.OpChecks;

/**
 * The native ops' view of {@link OpChecks}, done in Java so that C never sees a short or foreign
 * buffer: a checked buffer's segment, and nasengine.h's error codes turned into exceptions.
 */
final class NativeArgs {
    private NativeArgs() {}

    /** The segment of a required buffer that must hold {@code needed} elements. */
    static MemorySegment need(NativeBackend be, String op, String role, Buffer b, long needed) {
        return be.checks.need(op, role, b, needed).segment;
    }

    /** Like {@link #need}, but a null buffer (an unwanted output) gives {@link MemorySegment#NULL}. */
    static MemorySegment optional(NativeBackend be, String op, String role, Buffer b, long needed) {
        NativeBuffer nb = be.checks.optional(op, role, b, needed);
        return nb == null ? MemorySegment.NULL : nb.segment;
    }

    /** The segment of {@code b}, checking that [offset, offset + count) lies inside it. */
    static MemorySegment range(NativeBackend be, String op, String role, Buffer b, long offset, long count) {
        return be.checks.range(op, role, b, offset, count).segment;
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
