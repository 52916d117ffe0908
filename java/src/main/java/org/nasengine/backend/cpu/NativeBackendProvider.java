package org.nasengine.backend.cpu;

import org.nasengine.backend.Backend;
import org.nasengine.backend.BackendProvider;

/** The native C library: {@code auto}'s choice where there is no GPU. */
public final class NativeBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int preference() {
        return 1;
    }

    @Override
    public String unavailableReason() {
        return NativeBackend.unavailableReason();
    }

    @Override
    public Backend open(String device) {
        return new NativeBackend();
    }

    @Override
    public String describe() {
        return "native C library; BLAS: " + NativeBackend.blasInfo() + "; threads " + NativeBackend.threads();
    }
}
