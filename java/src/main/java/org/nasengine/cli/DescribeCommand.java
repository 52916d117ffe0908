package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.PennTreebank;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.LayerSummary;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shapes, parameters and FLOPs of an architecture, without training. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print a per-layer (per-cell) table of output shapes, parameters and forward FLOPs, then one JSON line.")
public final class DescribeCommand implements Callable<Integer> {
    /** Mikolov's Penn Treebank vocabulary, which language models are described on without reading the files. */
    static final int PTB_WORDS = 10_000;

    @Option(names = "--arch", required = true, description = "Architecture file.")
    Path arch;

    @Option(names = "--hidden", defaultValue = "0",
            description = "rnn-cell: hidden size (0: sized to the ~20M-parameter medium baseline); an lstm architecture gives its own. "
                    + "Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--dataset",
            description = "Input shape of fashion-mnist (1x28x28, the default), cifar10 (3x32x32) or synthetic (1x16x16); "
                    + "ptb (10,000 words) for rnn-cell and lstm.")
    String dataset;

    @Override
    public Integer call() {
        Architecture a = Architectures.read(arch);
        if (a instanceof RnnCell || a instanceof Lstm) {
            if (dataset != null && !dataset.equals(PennTreebank.NAME))
                throw new UserError(arch + ": a " + a.space() + " language model describes on ptb, not --dataset " + dataset);
            return LanguageModelSummary.print(a, PTB_WORDS, hidden);
        }
        if (hidden != 0) throw new UserError("--hidden applies to rnn-cell language models; " + arch + " is " + a.space());
        int[] chw = switch (dataset == null ? "fashion-mnist" : dataset) {
            case "fashion-mnist" -> new int[] {1, 28, 28};
            case "cifar10" -> new int[] {3, 32, 32};
            case "synthetic" -> new int[] {1, 16, 16};
            default -> throw new UserError("dataset '" + dataset + "' is not one of fashion-mnist, cifar10, synthetic (ptb is for "
                    + "rnn-cell and lstm; " + arch + " is " + a.space() + ")");
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
