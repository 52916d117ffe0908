package org.nasengine.nas.child;

import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.RnnCell;

/** The one builder of children (image networks, language models), used alike for sampled children and for fixed files. */
public final class ChildBuilder {
    private ChildBuilder() {}

    public static ImageNetwork image(Architecture arch, int channels, int height, int width, int classes, Backend backend, long seed) {
        return switch (arch) {
            case MacroCnn m -> new MacroCnnNetwork(m, channels, height, width, classes, backend, seed);
            case NasNet n -> new NasNetNetwork(n, channels, height, width, classes, backend, seed);
            case Nb201 n -> new Nb201Network(n, channels, height, width, classes, backend, seed);
            default -> throw new IllegalArgumentException(arch.space() + " is not an image architecture (it trains on ptb)");
        };
    }

    /**
     * The language model of an {@code rnn-cell} or {@code lstm} architecture over {@code vocab}
     * words. {@code hidden} sizes an rnn-cell model (0: the medium baseline's parameter count,
     * as the spec says); an lstm architecture carries its own size and {@code hidden} must be 0 or equal to it.
     */
    public static LanguageModel languageModel(Architecture arch, int vocab, int hidden, float dropout, Backend backend, long seed) {
        if (hidden < 0) throw new IllegalArgumentException("hidden (" + hidden + ") must be >= 0 (0: the architecture's default)");
        return switch (arch) {
            case RnnCell cell -> new RnnLanguageModel(cell, vocab,
                    hidden > 0 ? hidden : RnnLanguageModel.hiddenForBudget(cell, vocab, RnnLanguageModel.mediumBudget(vocab)),
                    dropout, RnnLanguageModel.DEFAULT_INIT_RANGE, backend, seed);
            case Lstm lstm -> {
                if (hidden != 0 && hidden != lstm.hidden())
                    throw new IllegalArgumentException("hidden (" + hidden + ") differs from the lstm architecture's own (" + lstm.hidden() + ")");
                yield new LstmLanguageModel(lstm.layers(), vocab, lstm.hidden(), dropout, RnnLanguageModel.DEFAULT_INIT_RANGE, backend, seed);
            }
            default -> throw new IllegalArgumentException(arch.space() + " is not a language-model architecture (it trains on images)");
        };
    }
}
