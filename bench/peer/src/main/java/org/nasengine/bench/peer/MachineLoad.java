package org.nasengine.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine is, from /proc/stat: so that a comparison on a machine shared with
 * other work can wait for a quiet moment before each run and say afterwards how much CPU others
 * took during it. Off Linux every figure is NaN and nothing waits.
 */
final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");
    /** Jiffies per second of /proc/stat (USER_HZ, 100 on Linux). */
    private static final double HZ = 100;

    private MachineLoad() {}

    /** Busy and total jiffies of all CPUs so far; null off Linux. */
    static long[] sample() {
        try {
            String[] f = Files.readAllLines(STAT).getFirst().trim().split("\\s+"); // cpu user nice system idle iowait ...
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU-seconds the machine spent busy between two samples. */
    static double busySeconds(long[] from, long[] to) {
        return from == null || to == null ? Double.NaN : (to[0] - from[0]) / HZ;
    }

    /**
     * Waits until the machine has been at most {@code maxBusyCores} busy over a 2 s window, for
     * at most {@code maxWaitSeconds}; returns the seconds waited (the limit when it never calmed).
     */
    static double waitForQuiet(double maxBusyCores, double maxWaitSeconds) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long[] a = sample();
            if (a == null) return 0;
            Thread.sleep(2000);
            double busyCores = busySeconds(a, sample()) / 2.0;
            double waited = (System.nanoTime() - start) / 1e9;
            if (busyCores <= maxBusyCores || waited >= maxWaitSeconds) return waited;
        }
    }
}
