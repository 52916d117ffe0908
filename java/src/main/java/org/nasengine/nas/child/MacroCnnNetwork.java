package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Cost;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.tensor.Tensor;

/**
 * The spec's macro CNN: per layer conv (no bias) + batch norm + ReLU over the zero-pad join of its
 * inputs (the image when it has none); the unread outputs joined, global average pooled, then a
 * linear classifier. The joins run on the backend's pad/concat kernel.
 */
public final class MacroCnnNetwork extends ImageNetwork {
    private final MacroCnn arch;
    private final int channels, height, width, classes;
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<BatchNorm2d> norms = new ArrayList<>();
    private final List<Integer> unread;
    private final Linear classifier;

    public MacroCnnNetwork(MacroCnn arch, int channels, int height, int width, int classes, Backend backend, long seed) {
        this.arch = arch;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        RandomGenerator rng = Init.rng(seed);
        int[] cin = arch.inputChannels(channels);
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            convs.add(registerChild("layers." + i + ".conv", new Conv2d(backend, rng, cin[i], l.filters(), l.kh(), l.kw(), l.stride())));
            norms.add(registerChild("layers." + i + ".bn", new BatchNorm2d(backend, l.filters())));
        }
        unread = arch.unreadOutputs();
        classifier = registerChild("classifier", new Linear(backend, rng, arch.classifierChannels(), classes, true));
    }

    public MacroCnn architecture() { return arch; }
    public Conv2d conv(int layer) { return convs.get(layer); }
    public BatchNorm2d norm(int layer) { return norms.get(layer); }
    public Linear classifier() { return classifier; }

    @Override
    public Tensor forward(Tensor images) { // (N, C, H, W) -> (N, classes)
        List<Tensor> outputs = new ArrayList<>(arch.size());
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            Tensor in = l.readsImage() ? images : Join.padConcat(l.inputs().stream().map(outputs::get).toList());
            outputs.add(norms.get(i).forward(convs.get(i).forward(in)).relu());
        }
        Tensor joined = Join.padConcat(unread.stream().map(outputs::get).toList());
        return classifier.forward(Pooling.globalAvgPool(joined));
    }

    @Override
    public List<LayerSummary> summary() {
        return summary(arch, channels, height, width, classes);
    }

    /** Forward FLOPs per example and parameters, from the description alone (the cost a search budgets). */
    public static Cost cost(MacroCnn arch, int channels, int height, int width, int classes) {
        double flops = 0;
        for (LayerSummary row : summary(arch, channels, height, width, classes)) flops += row.flops();
        return new Cost(flops, arch.params(channels, classes));
    }

    /** The rows of {@link #summary()} computed from the description alone, without building anything. */
    public static List<LayerSummary> summary(MacroCnn arch, int channels, int height, int width, int classes) {
        int[] cin = arch.inputChannels(channels);
        int[] inH = arch.inputSizes(height), inW = arch.inputSizes(width);
        int[] outH = arch.outputSizes(height), outW = arch.outputSizes(width);
        List<LayerSummary> rows = new ArrayList<>();
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            long params = (long) l.kh() * l.kw() * cin[i] * l.filters() + 2L * l.filters();
            double flops = 2.0 * l.kh() * l.kw() * cin[i] * l.filters() * outH[i] * outW[i];
            String name = "conv" + l.kh() + "x" + l.kw() + "/" + l.stride() + " <- "
                    + (l.readsImage() ? "image" : l.inputs().toString()) + " (in " + cin[i] + "x" + inH[i] + "x" + inW[i] + ")";
            rows.add(new LayerSummary(i + ": " + name, new int[] {l.filters(), outH[i], outW[i]}, params, flops));
        }
        int c = arch.classifierChannels();
        rows.add(new LayerSummary("classifier <- " + arch.unreadOutputs(), new int[] {classes}, (long) c * classes + classes, 2.0 * c * classes));
        return rows;
    }

    @Override
    public String toString() {
        return "MacroCnnNetwork" + Arrays.toString(new int[] {channels, height, width}) + " -> " + classes;
    }
}
