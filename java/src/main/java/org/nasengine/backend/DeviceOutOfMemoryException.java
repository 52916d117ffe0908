package org.nasengine.backend;

/**
 * A device had not the memory an allocation asked for, even after its backend gave its cached
 * buffers back to the driver. Distinct from the JVM's OutOfMemoryError so that the heap's state is
 * not in doubt: the trainers and the search's evaluators record the child as {@code out_of_memory}
 * and the search goes on with the next one.
 */
public final class DeviceOutOfMemoryException extends RuntimeException {
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }

    public DeviceOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
