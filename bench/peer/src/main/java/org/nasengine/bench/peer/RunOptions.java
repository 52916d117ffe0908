package org.nasengine.bench.peer;

import java.nio.file.Path;

/**
 * One timed run: which engine, which child, how much work. Parsed from
 * {@code --engine ours|peer --arch FILE [--batch N] [--warmup N] [--steps N] [--threads N]
 * [--dataset fashion-mnist|cifar10|synthetic] [--lr X] [--seed N]}.
 */
public record RunOptions(String engine, Path arch, int batch, int warmup, int steps, int threads, String dataset,
                         float lr, long seed) {

    public RunOptions {
        if (!engine.equals("ours") && !engine.equals("peer"))
            throw new IllegalArgumentException("--engine '" + engine + "' must be ours or peer");
        if (batch < 2) throw new IllegalArgumentException("--batch (" + batch + ") must be >= 2");
        if (warmup < 1) throw new IllegalArgumentException("--warmup (" + warmup + ") must be >= 1");
        if (steps < 1) throw new IllegalArgumentException("--steps (" + steps + ") must be >= 1");
        if (threads < 1) throw new IllegalArgumentException("--threads (" + threads + ") must be >= 1");
        if (!(lr > 0)) throw new IllegalArgumentException("--lr (" + lr + ") must be > 0");
    }

    public static RunOptions parse(String[] args) {
        String engine = null, dataset = "fashion-mnist";
        Path arch = null;
        int batch = 128, warmup = 3, steps = 10, threads = 2;
        float lr = 0.05f;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--engine" -> engine = v;
                case "--arch" -> arch = Path.of(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--dataset" -> dataset = v;
                case "--lr" -> lr = Float.parseFloat(v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (engine == null || arch == null) throw new IllegalArgumentException("--engine and --arch are required");
        return new RunOptions(engine, arch, batch, warmup, steps, threads, dataset, lr, seed);
    }

    /** The same options as command-line arguments (for a child process). */
    public String[] toArgs() {
        return new String[] {"--engine", engine, "--arch", arch.toString(), "--batch", Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--threads",
                Integer.toString(threads), "--dataset", dataset, "--lr", Float.toString(lr), "--seed", Long.toString(seed)};
    }

    public RunOptions withEngine(String e) {
        return new RunOptions(e, arch, batch, warmup, steps, threads, dataset, lr, seed);
    }
}
