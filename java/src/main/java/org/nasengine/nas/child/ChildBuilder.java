package org.nasengine.nas.child;

import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;

/** The one builder of image children, used alike for sampled children and for fixed files. */
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
}
