package org.nasengine.backend.ref;

import org.nasengine.backend.Backend;
import org.nasengine.backend.BackendProvider;

/** The pure-Java reference: always available, the last resort of {@code auto}. */
public final class JavaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "java";
    }

    @Override
    public int preference() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend open(String device) {
        return new JavaBackend();
    }

    @Override
    public String describe() {
        return "pure-Java reference (double precision, plain loops)";
    }
}
