package org.nasengine.cli;

import java.util.concurrent.Callable;
import org.nasengine.backend.Backends;
import picocli.CommandLine.Command;

/** Lists the backends, which loaded and why the others did not. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "List the backends: which loaded, and for each that did not, why; BLAS, threads, GPUs, kernels.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.printf("java %s (%s), %d cores%n", Runtime.version(), System.getProperty("java.vm.vendor"),
                Runtime.getRuntime().availableProcessors());
        for (Backends.Availability a : Backends.survey())
            System.out.printf("%-5s %-11s %s%n", a.name(), a.available() ? "available" : "unavailable", a.detail());
        return 0;
    }
}
