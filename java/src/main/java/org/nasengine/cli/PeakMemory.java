package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process, as the train command and the benchmark peer report it. */
public final class PeakMemory {
    private PeakMemory() {}

    /** VmHWM in MiB, NaN where /proc is absent (not Linux): no figure rather than a wrong one. */
    public static double rssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0;
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return Double.NaN;
    }
}
