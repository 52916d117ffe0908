package org.nasengine.cli;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.backend.cpu.NativeBackend;

/** Opens the backend the options name, with the thread count applied. */
final class Engine {
    private Engine() {}

    static Backend open(EngineOptions o) {
        if (o.threads < 0) throw new UserError("--threads (" + o.threads + ") must be >= 0");
        if (o.threads > 0 && NativeBackend.isAvailable()) NativeBackend.setThreads(o.threads);
        try {
            return Backends.open(o.device);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
