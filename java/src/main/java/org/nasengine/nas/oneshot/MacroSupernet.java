package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.BatchNorm;
import org.nasengine.autograd.Conv;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.MatMul;
import org.nasengine.autograd.Pooling;
import org.nasengine.autograd.Slices;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * The shared weights of every {@code macro-cnn} child of L layers (ENAS' macro search, on our
 * space of kernel heights and widths, filter counts, strides and skip connections). Our design:
 * one weight per layer, of the largest filter count F and kernel K, sliced per child
 * ({@link Slices}): a layer of f filters with a kh x kw kernel uses the first f filters and the
 * centred kh x kw window; its input channels are laid out by source (the image, then F channels
 * for each earlier layer), and a child reading layers j1, j2 uses the first f_j channels of each
 * one's block. So a 3x3 filter is the middle of its 7x7 one, and 24 filters are the first 24 of 64
 * (as in Once-for-All's elastic kernels and widths): every child trains the weights its siblings
 * use, and no child builds anything. Batch-norm scale and shift are sliced the same way; the
 * classifier keeps one column block per layer. A child runs exactly the computation of its own
 * {@link MacroCnnNetwork} (conv without bias, BN, ReLU, the spec's zero-pad joins, global average
 * pooling, linear), at its own FLOPs.
 */
public final class MacroSupernet extends Module implements SharedModel {
    private final int layers, maxKernel, maxFilters, imageChannels, height, width, classes;
    private final List<Tensor> convs = new ArrayList<>();          // layer i: (F, image + F*i, K, K)
    private final List<Tensor> gammas = new ArrayList<>(), betas = new ArrayList<>(); // each (F)
    private final Map<String, Tensor[]> running = new HashMap<>(); // "i/f" -> running mean, var (f)
    private final Tensor classifier;                                // (classes, F*L)
    private final Tensor bias;                                      // (classes)

    public MacroSupernet(int layers, int[] kernels, int[] filters, int imageChannels, int height, int width, int classes,
                         Backend backend, long seed) {
        if (layers < 1 || imageChannels < 1 || height < 1 || width < 1 || classes < 1)
            throw new IllegalArgumentException("macro supernet sizes must be >= 1: layers " + layers + ", image " + imageChannels
                    + "x" + height + "x" + width + ", classes " + classes);
        this.layers = layers;
        this.maxKernel = Arrays.stream(kernels).max().orElseThrow();
        this.maxFilters = Arrays.stream(filters).max().orElseThrow();
        this.imageChannels = imageChannels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        RandomGenerator rng = Init.rng(seed);
        int k = maxKernel, f = maxFilters;
        for (int i = 0; i < layers; i++) {
            int cin = imageChannels + f * i;
            // He-uniform for a typical child's fan-in (a middle kernel, one input block): BN follows, so the scale only sets the start
            int fanIn = Math.max(1, (i == 0 ? imageChannels : f) * 9);
            convs.add(registerParameter(Tensor.parameter(backend, Init.heUniform(rng, fanIn, f * cin * k * k), f, cin, k, k)));
            gammas.add(registerParameter(Tensor.parameter(backend, Init.constant(1f, f), f)));
            betas.add(registerParameter(Tensor.parameter(backend, new float[f], f)));
            for (int fc : filters) {
                running.put(i + "/" + fc, new Tensor[] {
                        registerState(Tensor.persistent(backend, new float[fc], fc)),
                        registerState(Tensor.persistent(backend, Init.constant(1f, fc), fc))});
            }
        }
        classifier = registerParameter(Tensor.parameter(backend, Init.heUniform(rng, f, classes * f * layers), classes, f * layers));
        bias = registerParameter(Tensor.parameter(backend, new float[classes], classes));
    }

    @Override
    public Tensor forward(Architecture child, Tensor images) { // (N, C, H, W) -> (N, classes)
        if (!(child instanceof MacroCnn m) || m.size() != layers)
            throw new IllegalArgumentException("a " + layers + "-layer macro supernet runs " + layers + "-layer macro-cnn children, not "
                    + child.space() + (child instanceof MacroCnn m2 ? " of " + m2.size() + " layers" : ""));
        if (images.rank() != 4 || images.dim(1) != imageChannels)
            throw new IllegalArgumentException("macro supernet for " + imageChannels + "-channel images, got " + images);
        int k = maxKernel, f = maxFilters;
        List<Tensor> outputs = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            MacroCnn.Layer l = m.layer(i);
            if (l.filters() > f || l.kh() > k || l.kw() > k || running.get(i + "/" + l.filters()) == null)
                throw new IllegalArgumentException("layer " + i + " (" + l.kh() + "x" + l.kw() + ", " + l.filters()
                        + " filters) is outside the supernet's choices");
            int[] starts, lengths;
            Tensor in;
            if (l.readsImage()) {
                starts = new int[] {0};
                lengths = new int[] {imageChannels};
                in = images;
            } else {
                starts = l.inputs().stream().mapToInt(j -> imageChannels + f * j).toArray();
                lengths = l.inputs().stream().mapToInt(j -> m.layer(j).filters()).toArray();
                in = Join.padConcat(l.inputs().stream().map(outputs::get).toList());
            }
            int cin = Arrays.stream(lengths).sum(), fi = l.filters();
            Tensor w = Slices.gather(convs.get(i), new int[] {f, imageChannels + f * i, k, k}, fi, starts, lengths, l.kh(), l.kw(),
                    fi, cin, l.kh(), l.kw());                                           // (f_i, cin, kh, kw)
            Tensor y = Conv.conv2dSame(in, w, l.stride(), 1, 1);                        // (N, f_i, H', W')
            Tensor[] stats = running.get(i + "/" + fi);
            y = BatchNorm.batchNorm(y, prefix(gammas.get(i), fi), prefix(betas.get(i), fi), stats[0], stats[1],
                    BatchNorm2d.DEFAULT_EPS, BatchNorm2d.DEFAULT_MOMENTUM, isTraining());
            outputs.add(y.relu());
        }
        List<Integer> unread = m.unreadOutputs();
        Tensor pooled = Pooling.globalAvgPool(Join.padConcat(unread.stream().map(outputs::get).toList())); // (N, sum f)
        int[] starts = unread.stream().mapToInt(j -> f * j).toArray(), lengths = unread.stream().mapToInt(j -> m.layer(j).filters()).toArray();
        Tensor wc = Slices.gather(classifier, new int[] {classes, f * layers, 1, 1}, classes, starts, lengths, 1, 1, classes,
                Arrays.stream(lengths).sum());                                           // (classes, sum f)
        return MatMul.linear(pooled, wc, bias);
    }

    /** The first n values of a (F) vector. */
    private Tensor prefix(Tensor v, int n) {
        return Slices.gather(v, new int[] {1, maxFilters, 1, 1}, 1, new int[] {0}, new int[] {n}, 1, 1, n);
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public double childFlops(Architecture child) {
        return MacroCnnNetwork.cost((MacroCnn) child, imageChannels, height, width, classes).flops();
    }

    @Override
    public String toString() {
        return "MacroSupernet(" + layers + " layers, " + maxKernel + "x" + maxKernel + " x " + maxFilters + " shared, " + imageChannels
                + "x" + height + "x" + width + " -> " + classes + ")";
    }
}
