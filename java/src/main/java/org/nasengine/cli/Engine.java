package org.nasengine.cli;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.backend.cpu.NativeBackend;

/** Opens the backend the options name, with the thread count applied. */
final class Engine {
    private Engine() {}

    /**
     * The backend of search worker {@code index} of {@code count}: on CUDA worker k takes GPU k
     * (cuda:N names the first); on the CPU the cores are shared out unless --threads says otherwise.
     */
    static Backend openWorker(EngineOptions o, int index, int count) {
        if (count == 1) return open(o);
        String d = o.device.trim().toLowerCase();
        if (d.equals("cuda") || d.startsWith("cuda:")) {
            int first = d.equals("cuda") ? 0 : Integer.parseInt(d.substring(5));
            EngineOptions w = new EngineOptions();
            w.device = "cuda:" + (first + index);
            w.threads = o.threads;
            w.deterministic = o.deterministic;
            w.seed = o.seed;
            return open(w);
        }
        if (o.threads == 0 && NativeBackend.isAvailable())
            NativeBackend.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / count));
        return open(o);
    }

    static Backend open(EngineOptions o) {
        if (o.threads < 0) throw new UserError("--threads (" + o.threads + ") must be >= 0");
        if (o.threads > 0 && NativeBackend.isAvailable()) NativeBackend.setThreads(o.threads);
        if (NativeBackend.isAvailable()) NativeBackend.setDeterministic(o.deterministic);
        try {
            return Backends.open(o.device);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
