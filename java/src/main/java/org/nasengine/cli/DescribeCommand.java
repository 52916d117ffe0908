package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.LayerSummary;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shapes, parameters and FLOPs of an architecture, without training. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print a per-layer (per-cell) table of output shapes, parameters and forward FLOPs, then one JSON line.")
public final class DescribeCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "Architecture file.")
    Path arch;

    @Mixin RnnOptions rnn;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "Input shape of fashion-mnist (1x28x28), cifar10 (3x32x32) or synthetic (1x16x16). Default: ${DEFAULT-VALUE}.")
    String dataset;


    @Override
    public Integer call() {
        Architecture a = Architectures.read(arch);
        if (a instanceof RnnCell cell) return rnn.describe(cell);
        int[] chw = switch (dataset) {
            case "fashion-mnist" -> new int[] {1, 28, 28};
            case "cifar10" -> new int[] {3, 32, 32};
            case "synthetic" -> new int[] {1, 16, 16};
            default -> throw new UserError("dataset '" + dataset + "' is not one of fashion-mnist, cifar10, synthetic");
        };
        // the Java backend builds the network without any native library; nothing is trained
        try (JavaBackend be = new JavaBackend(); ImageNetwork net = ChildBuilder.image(a, chw[0], chw[1], chw[2], 10, be, 0)) {
            System.out.printf("%-56s %-16s %12s %16s%n", "layer", "output", "params", "flops");
            for (LayerSummary row : net.summary())
                System.out.printf("%-56s %-16s %,12d %,16.0f%n", row.name(), Arrays.toString(row.outputShape()), row.params(), row.flops());
            ObjectNode out = Json.object();
            out.put("params", net.parameterCount());
            out.put("flops_per_example", net.flopsPerExample());
            System.out.println(Json.line(out));
            return 0;
        }
    }
}
