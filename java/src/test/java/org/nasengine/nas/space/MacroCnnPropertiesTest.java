package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MacroCnnPropertiesTest {

    /** A random valid macro-cnn: inputs of layer i are the bits below i of a random mask. */
    @Provide
    Arbitrary<MacroCnn> macroCnns() {
        Arbitrary<Integer> kernel = Arbitraries.of(1, 3, 5, 7);
        Arbitrary<long[]> layer = Combinators.combine(kernel, kernel, Arbitraries.integers().between(1, 1024),
                Arbitraries.integers().between(1, 3), Arbitraries.longs())
                .as((kh, kw, f, s, mask) -> new long[] {kh, kw, f, s, mask});
        return layer.list().ofMinSize(1).ofMaxSize(14).map(raw -> {
            List<MacroCnn.Layer> layers = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                long[] r = raw.get(i);
                List<Integer> inputs = new ArrayList<>();
                for (int j = 0; j < i; j++) if ((r[4] >>> j & 1) == 1) inputs.add(j);
                layers.add(new MacroCnn.Layer((int) r[0], (int) r[1], (int) r[2], (int) r[3], inputs));
            }
            return new MacroCnn(layers);
        });
    }

    @Property(tries = 300)
    void jsonRoundTrips(@ForAll("macroCnns") MacroCnn m) {
        assertEquals(m, ArchitectureCodec.parse(ArchitectureCodec.toJson(m)));
        assertEquals(m, ArchitectureCodec.parse(ArchitectureCodec.toCompactJson(m)));
        assertEquals(m.key(), ArchitectureCodec.parse(m.key()).key());
    }

    /**
     * The formula counted edge by edge instead of layer by layer: every edge j -> i carries
     * filters_j channels into kh_i*kw_i*filters_i weights; the image feeds layers without
     * inputs; the classifier reads every layer that is no layer's input.
     */
    @Property(tries = 300)
    void paramsEqualAnEdgeByEdgeCount(@ForAll("macroCnns") MacroCnn m, @ForAll @IntRange(min = 1, max = 4) int channels,
                                      @ForAll @IntRange(min = 2, max = 100) int classes) {
        List<MacroCnn.Layer> layers = m.layers();
        long expected = classes; // classifier bias
        for (int i = 0; i < layers.size(); i++) {
            MacroCnn.Layer li = layers.get(i);
            expected += 2L * li.filters();
            if (li.inputs().isEmpty()) expected += (long) li.kh() * li.kw() * channels * li.filters();
            boolean consumed = false;
            for (int k = i + 1; k < layers.size(); k++) {
                MacroCnn.Layer lk = layers.get(k);
                if (lk.inputs().contains(i)) {
                    consumed = true;
                    expected += (long) lk.kh() * lk.kw() * li.filters() * lk.filters();
                }
            }
            if (!consumed) expected += (long) li.filters() * classes;
        }
        assertEquals(expected, m.params(channels, classes));
    }

    @Property(tries = 200)
    void spatialSizesStayPositiveAndShrinkOnlyByStride(@ForAll("macroCnns") MacroCnn m,
                                                       @ForAll @IntRange(min = 1, max = 64) int size) {
        int[] in = m.inputSizes(size);
        int[] out = m.outputSizes(size);
        for (int i = 0; i < out.length; i++) {
            int stride = m.layer(i).stride();
            assertEquals((in[i] + stride - 1) / stride, out[i], "layer " + i);
            if (in[i] < 1 || in[i] > size) throw new AssertionError("layer " + i + " input size " + in[i] + " of image " + size);
        }
    }
}
