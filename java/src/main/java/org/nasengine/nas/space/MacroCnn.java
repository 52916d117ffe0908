package org.nasengine.nas.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code macro-cnn} form: a whole CNN, layer by layer (Zoph &amp; Le 2017). Each layer is a
 * same-padded convolution without bias, batch normalization and ReLU, reading the join of the
 * earlier layers in {@code inputs} (the image when empty). The classifier reads the join of every
 * layer that no later layer reads. Spatial sizes are per dimension: the stride is the same in
 * both directions and a join takes the largest height and the largest width independently, so
 * {@link #inputSizes} and {@link #outputSizes} serve heights and widths alike.
 */
public record MacroCnn(List<Layer> layers) implements Architecture {
    public static final String SPACE = "macro-cnn";
    public static final int MAX_KERNEL = 7;
    public static final int MAX_FILTERS = 1024;
    public static final int MAX_STRIDE = 3;

    /** One layer; {@code inputs} are earlier layer indices, ascending, empty for the image. */
    public record Layer(int kh, int kw, int filters, int stride, List<Integer> inputs) {
        public Layer {
            inputs = List.copyOf(inputs);
        }

        public Layer(int kh, int kw, int filters, int stride, int... inputs) {
            this(kh, kw, filters, stride, java.util.Arrays.stream(inputs).boxed().toList());
        }

        public boolean readsImage() {
            return inputs.isEmpty();
        }
    }

    public MacroCnn {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) throw new ArchitectureException("layers", "0 layers, must have at least 1");
        for (int i = 0; i < layers.size(); i++) validateLayer(i, layers.get(i));
    }

    private static void validateLayer(int index, Layer layer) {
        String at = "layers[" + index + "]";
        checkKernel(at + ".kh", layer.kh());
        checkKernel(at + ".kw", layer.kw());
        if (layer.filters() < 1 || layer.filters() > MAX_FILTERS)
            throw new ArchitectureException(at + ".filters", layer.filters() + " must be 1.." + MAX_FILTERS);
        if (layer.stride() < 1 || layer.stride() > MAX_STRIDE)
            throw new ArchitectureException(at + ".stride", layer.stride() + " must be 1.." + MAX_STRIDE);
        List<Integer> inputs = layer.inputs();
        for (int input : inputs) {
            if (input < 0 || input >= index)
                throw new ArchitectureException(at + ".inputs", input + " is not an earlier layer");
        }
        Set<Integer> seen = new HashSet<>();
        for (int input : inputs) {
            if (!seen.add(input)) throw new ArchitectureException(at + ".inputs", input + " is listed twice");
        }
        for (int k = 1; k < inputs.size(); k++) {
            if (inputs.get(k) < inputs.get(k - 1))
                throw new ArchitectureException(at + ".inputs", inputs + " must be ascending");
        }
    }

    private static void checkKernel(String field, int k) {
        // odd so that "same" padding (k-1)/2 is symmetric
        if (k < 1 || k > MAX_KERNEL || k % 2 == 0)
            throw new ArchitectureException(field, k + " must be odd, 1.." + MAX_KERNEL);
    }

    @Override
    public String space() {
        return SPACE;
    }

    public int size() {
        return layers.size();
    }

    public Layer layer(int i) {
        return layers.get(i);
    }

    /** For each layer, the later layers that read its output, ascending. */
    public List<List<Integer>> consumers() {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) out.add(new ArrayList<>());
        for (int j = 0; j < layers.size(); j++) {
            for (int input : layers.get(j).inputs()) out.get(input).add(j);
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The layers whose output no later layer reads, ascending; the last layer is always one. */
    public List<Integer> unreadOutputs() {
        boolean[] read = new boolean[layers.size()];
        for (Layer layer : layers) {
            for (int input : layer.inputs()) read[input] = true;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < read.length; i++) if (!read[i]) out.add(i);
        return List.copyOf(out);
    }

    /** Channels of each layer's joined input: the image's, or the sum of its inputs' filters. */
    public int[] inputChannels(int imageChannels) {
        requirePositive("imageChannels", imageChannels);
        int[] cin = new int[layers.size()];
        for (int i = 0; i < cin.length; i++) {
            Layer layer = layers.get(i);
            cin[i] = layer.readsImage() ? imageChannels : sumFilters(layer.inputs());
        }
        return cin;
    }

    /** Channels of the joined output that the classifier reads. */
    public int classifierChannels() {
        return sumFilters(unreadOutputs());
    }

    /** Size (height or width) of each layer's joined input: the largest of its inputs' outputs. */
    public int[] inputSizes(int imageSize) {
        requirePositive("imageSize", imageSize);
        int[] in = new int[layers.size()];
        int[] out = new int[layers.size()];
        for (int i = 0; i < in.length; i++) {
            Layer layer = layers.get(i);
            in[i] = layer.readsImage() ? imageSize : maxOf(out, layer.inputs());
            out[i] = ceilDiv(in[i], layer.stride());
        }
        return in;
    }

    /** Size (height or width) of each layer's output: ceil(input size / stride). */
    public int[] outputSizes(int imageSize) {
        int[] in = inputSizes(imageSize);
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) out[i] = ceilDiv(in[i], layers.get(i).stride());
        return out;
    }

    /** Size (height or width) of the joined output before global average pooling. */
    public int classifierSize(int imageSize) {
        return maxOf(outputSizes(imageSize), unreadOutputs());
    }

    /**
     * The spec's parameter count: per layer {@code kh*kw*cin*filters + 2*filters} (convolution
     * without bias, batch-norm scale and shift), plus the classifier
     * {@code classifierChannels*classes + classes}. Running statistics are not parameters.
     */
    public long params(int inChannels, int classes) {
        requirePositive("classes", classes);
        int[] cin = inputChannels(inChannels);
        long total = 0;
        for (int i = 0; i < cin.length; i++) {
            Layer layer = layers.get(i);
            total += (long) layer.kh() * layer.kw() * cin[i] * layer.filters() + 2L * layer.filters();
        }
        return total + (long) classifierChannels() * classes + classes;
    }

    private int sumFilters(List<Integer> indices) {
        int sum = 0;
        for (int i : indices) sum += layers.get(i).filters();
        return sum;
    }

    private static int maxOf(int[] values, List<Integer> indices) {
        int max = 0;
        for (int i : indices) max = Math.max(max, values[i]);
        return max;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void requirePositive(String role, int value) {
        if (value <= 0) throw new IllegalArgumentException(role + " (" + value + ") must be > 0");
    }
}
