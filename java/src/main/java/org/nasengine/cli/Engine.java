package org.nasengine.cli;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.backend.cuda.CudaBackend;

/** Opens the backend the options name, with the thread count applied. */
final class Engine {
    private Engine() {}

    /**
     * The backend of search worker {@code index} of {@code count}: on CUDA (cuda, cuda:N, or auto
     * where a GPU is present) the workers take the devices round-robin from the first one named
     * (see {@link #workerDevice}); on the CPU the cores are shared out unless --threads says otherwise.
     */
    static Backend openWorker(EngineOptions o, int index, int count) {
        if (count == 1) return open(o);
        String d = o.device == null ? "auto" : o.device.trim().toLowerCase();
        int gpus = d.equals("java") || d.equals("cpu") ? 0 : CudaBackend.deviceCount();   // no CUDA probe for CPU runs
        String device = workerDevice(o.device, index, gpus);
        if (device.startsWith("cuda:")) {
            if (index == 0 && count > gpus)
                System.err.printf("search: %d workers share %d CUDA device%s round-robin%n", count, gpus, gpus == 1 ? "" : "s");
            EngineOptions w = new EngineOptions();
            w.device = device;
            w.threads = o.threads;
            w.deterministic = o.deterministic;
            w.seed = o.seed;
            return open(w);
        }
        if (o.threads == 0 && NativeBackend.isAvailable())
            NativeBackend.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / count));
        return open(o);
    }

    /**
     * The device worker {@code index} opens, given the --device option and the CUDA devices present:
     * cuda:((first + index) mod gpus), first being N of cuda:N (0 for cuda, and for auto when
     * gpus > 0). Several workers may so share one GPU: a one-GPU machine runs them all on cuda:0
     * rather than failing on cuda:1 with CUDA_ERROR_INVALID_DEVICE. Other devices, and cuda where
     * gpus is 0 (opening then fails with the reason), are returned as given.
     */
    static String workerDevice(String option, int index, int gpus) {
        String d = option == null ? "auto" : option.trim().toLowerCase();
        boolean cuda = d.equals("cuda") || d.startsWith("cuda:") || (d.equals("auto") && gpus > 0);
        if (!cuda || gpus <= 0) return option;
        int first = 0;
        if (d.startsWith("cuda:")) {
            try {
                first = Integer.parseInt(d.substring("cuda:".length()));
            } catch (NumberFormatException e) {
                first = -1;
            }
            if (first < 0) throw new UserError("--device " + option + ": the GPU index must be a number >= 0");
            if (first >= gpus)
                throw new UserError("--device " + option + ": this machine has " + gpus + " CUDA device"
                        + (gpus == 1 ? " (cuda:0)" : "s (cuda:0 to cuda:" + (gpus - 1) + ")"));
        }
        return "cuda:" + (first + index) % gpus;
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
