package org.nasengine.backend.cuda;

/**
 * A CUDA failure inside one backend operation, with the op, its shapes and the device in the
 * message. Kernels run asynchronously, so a fault may surface in the op after the one that
 * caused it; run with -Dnasengine.cuda.sync=true to synchronize after every op and pin it down.
 */
public final class CudaOpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaOpException(String message, Throwable cause) {
        super(message, cause);
    }
}
