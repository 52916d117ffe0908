package org.nasengine.bench;

import java.util.ArrayList;
import java.util.List;
import org.nasengine.backend.ConvGeometry;

/**
 * The convolution layers of /work/shared/spec/arch/ref-cnn-a.json on a 28x28x1 input, with each
 * layer's input worked out by the spec's join rule: the inputs' channels add up, smaller maps are
 * zero-padded to the largest height and width. So layer 2 reads [0, 1] (36 + 36 = 72 channels),
 * layer 5 reads [1, 4]: 36 + 64 = 100 channels at 28x28, layer 4's 14x14 map padded to 28x28.
 */
final class RefCnnA {
    private RefCnnA() {}

    /** kh, kw, filters, stride and inputs of each layer, as in ref-cnn-a.json. */
    private record Layer(int kh, int kw, int filters, int stride, int... inputs) {}

    private static final List<Layer> LAYERS = List.of(
            new Layer(3, 3, 36, 1),
            new Layer(3, 3, 36, 1, 0),
            new Layer(5, 5, 48, 1, 0, 1),
            new Layer(3, 3, 48, 2, 2),
            new Layer(3, 5, 64, 1, 3),
            new Layer(3, 3, 64, 1, 1, 4));

    static final int IMAGE_CHANNELS = 1, IMAGE_SIZE = 28;

    static int layers() {
        return LAYERS.size();
    }

    /** The "same"-padded convolution of layer {@code index} at batch {@code n}. */
    static ConvGeometry geometry(int index, int n) {
        return geometries(n).get(index);
    }

    static List<ConvGeometry> geometries(int n) {
        List<ConvGeometry> out = new ArrayList<>();
        int[] channels = new int[LAYERS.size()], heights = new int[LAYERS.size()], widths = new int[LAYERS.size()];
        for (int i = 0; i < LAYERS.size(); i++) {
            Layer l = LAYERS.get(i);
            int cin = IMAGE_CHANNELS, h = IMAGE_SIZE, w = IMAGE_SIZE;
            if (l.inputs().length > 0) {
                cin = 0;
                h = 0;
                w = 0;
                for (int j : l.inputs()) {   // the join: channels add, sizes go to the largest
                    cin += channels[j];
                    h = Math.max(h, heights[j]);
                    w = Math.max(w, widths[j]);
                }
            }
            out.add(ConvGeometry.same(n, cin, h, w, l.filters(), l.kh(), l.kw(), l.stride(), 1, 1));
            channels[i] = l.filters();
            heights[i] = (h + l.stride() - 1) / l.stride();   // ceil(H / stride)
            widths[i] = (w + l.stride() - 1) / l.stride();
        }
        return out;
    }

    /** Forward plus backward (dx and dw): three times the forward's multiply-adds. */
    static double forwardBackwardFlops(int index, int n) {
        return 3 * geometry(index, n).forwardFlops();
    }
}
