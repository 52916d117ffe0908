package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.tensor.Tensor;

/**
 * The spec's NASNet network, fixed by hand around the two searched cells: a 3x3 convolution stem
 * (no bias) + BN with {@code filters} channels; {@code repeats} normal cells, a reduction cell,
 * {@code repeats} normal cells, a reduction cell, {@code repeats} normal cells, the filter count
 * doubling at each reduction cell; global average pooling; a fully connected layer with bias.
 * Each cell reads the outputs of the two cells before it (the stem standing in for the missing
 * ones).
 */
public final class NasNetNetwork extends ImageNetwork {
    private static final int STEM_KERNEL = 3;

    private final NasNet arch;
    private final int channels, height, width, classes;
    private final Conv2d stem;
    private final BatchNorm2d stemNorm;
    private final List<NasNetCell> cells = new ArrayList<>();
    private final List<String> cellNames = new ArrayList<>();
    private final Linear classifier;

    public NasNetNetwork(NasNet arch, int channels, int height, int width, int classes, Backend backend, long seed) {
        requirePositive("channels", channels);
        requirePositive("height", height);
        requirePositive("width", width);
        requirePositive("classes", classes);
        this.arch = arch;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        RandomGenerator rng = Init.rng(seed);
        int f = arch.filters();
        stem = registerChild("stem.conv", new Conv2d(backend, rng, channels, f, STEM_KERNEL, STEM_KERNEL, 1));
        stemNorm = registerChild("stem.bn", new BatchNorm2d(backend, f));

        int[] twoBack = {f, height, width}, previous = twoBack; // (C, H, W)
        int normals = 0, reductions = 0;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                f *= 2;
                addCell(new NasNetCell(arch.reduction(), true, twoBack, previous, f, backend, rng), "reduction " + reductions++);
                twoBack = previous;
                previous = cells.getLast().outputShape();
            }
            for (int r = 0; r < arch.repeats(); r++) {
                addCell(new NasNetCell(arch.normal(), false, twoBack, previous, f, backend, rng), "normal " + normals++);
                twoBack = previous;
                previous = cells.getLast().outputShape();
            }
        }
        classifier = registerChild("classifier", new Linear(backend, rng, previous[0], classes, true));
    }

    private void addCell(NasNetCell cell, String name) {
        cells.add(registerChild("cells." + cells.size(), cell));
        cellNames.add(name);
    }

    private static void requirePositive(String role, int value) {
        if (value <= 0) throw new IllegalArgumentException(role + " (" + value + ") must be > 0");
    }

    public NasNet architecture() {
        return arch;
    }

    public List<NasNetCell> cells() {
        return List.copyOf(cells);
    }

    public Conv2d stem() { return stem; }
    public BatchNorm2d stemNorm() { return stemNorm; }
    public Linear classifier() { return classifier; }

    @Override
    public Tensor forward(Tensor images) { // (N, C, H, W) -> (N, classes)
        if (images.rank() != 4 || images.dim(1) != channels || images.dim(2) != height || images.dim(3) != width)
            throw new IllegalArgumentException("NasNetNetwork built for (N, " + channels + ", " + height + ", " + width
                    + ") images, got " + Arrays.toString(images.shape()));
        Tensor s = stemNorm.forward(stem.forward(images)); // (N, filters, H, W)
        Tensor twoBack = s, previous = s;
        for (NasNetCell cell : cells) {
            Tensor out = cell.forward(twoBack, previous);
            twoBack = previous;
            previous = out;
        }
        return classifier.forward(Pooling.globalAvgPool(previous)); // (N, C_last) -> (N, classes)
    }

    @Override
    public List<LayerSummary> summary() {
        List<LayerSummary> rows = new ArrayList<>();
        int f = arch.filters();
        double stemFlops = ConvGeometry.same(1, channels, height, width, f, STEM_KERNEL, STEM_KERNEL, 1, 1, 1).forwardFlops();
        rows.add(new LayerSummary("stem conv3x3-bn " + channels + "->" + f, new int[] {f, height, width},
                stem.parameterCount() + stemNorm.parameterCount(), stemFlops));
        for (int i = 0; i < cells.size(); i++) {
            NasNetCell cell = cells.get(i);
            rows.add(new LayerSummary("cell " + i + ": " + cellNames.get(i) + " F=" + cell.filters() + " "
                    + cell.describeInputs(), cell.outputShape(), cell.parameterCount(), cell.flops()));
        }
        int c = cells.getLast().outputShape()[0];
        rows.add(new LayerSummary("classifier (global avg pool, fc " + c + "->" + classes + ")", new int[] {classes},
                classifier.parameterCount(), 2.0 * c * classes));
        return rows;
    }

    @Override
    public String toString() {
        return "NasNetNetwork" + Arrays.toString(new int[] {channels, height, width}) + " N=" + arch.repeats()
                + " F=" + arch.filters() + " -> " + classes;
    }
}
