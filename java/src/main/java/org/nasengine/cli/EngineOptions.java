package org.nasengine.cli;

import picocli.CommandLine.Option;

/** Options every command that computes shares: where it runs and how it is seeded. */
public final class EngineOptions {
    @Option(names = "--device", defaultValue = "auto",
            description = "Backend: java, cpu, cuda, cuda:N or auto (CUDA if a GPU is present, else cpu, else java). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", defaultValue = "0",
            description = "CPU threads for the native backend (BLAS and OpenMP); 0 = all cores. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--deterministic",
            description = "cpu backend with more than one thread: sum in an order fixed by the thread count, so that runs with the same"
                    + " seed and --threads give the same bits (a little slower on a busy machine). The java backend always is.")
    boolean deterministic;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice; a run is repeatable on the same backend. Default: ${DEFAULT-VALUE}.")
    long seed;
}
