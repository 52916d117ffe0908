package org.nasengine.nas.search;

import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.LayerSummary;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.child.TrainResult;
import org.nasengine.nas.space.Architecture;

/**
 * Trains a sampled image child on the search's cheap proxy (few epochs, a training subset) and
 * rewards it with its validation accuracy. A macro child above the search's compute cap (forward
 * FLOPs per example) is not trained and gets status over_budget with reward 0. Every failure
 * becomes a result, never an exception; a child the device has no memory for is out_of_memory.
 * Before a child of other shapes than the last, the backend's cached buffers go back to the
 * device, so that memory sized for one child does not crowd out the next.
 */
public final class ImageChildEvaluator implements ChildEvaluator {
    private final Backend backend;
    private final ImageSplit train, validation;
    private final TrainConfig config;
    private final Supplier<ImageTrainer.Listener> listeners;
    private final double maxFlops;
    /** The child trained last: the backend's pool caches buffers of its shapes. */
    private Architecture previousArch;

    public ImageChildEvaluator(Backend backend, ImageSplit train, ImageSplit validation, TrainConfig config,
                               double maxFlops, Supplier<ImageTrainer.Listener> listeners) {
        this.maxFlops = maxFlops;
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.listeners = listeners;
    }

    @Override
    public ChildResult evaluate(int trialId, Architecture a, long seed) {
        long start = System.nanoTime();
        try {
            if (maxFlops > 0 && a instanceof MacroCnn m) {
                double flops = MacroCnnNetwork.summary(m, train.channels(), train.height(), train.width(), train.classes())
                        .stream().mapToDouble(LayerSummary::flops).sum();
                if (flops > maxFlops) // the hard cap of the search, a safety net behind the budget the strategies sample under
                    return new ChildResult(0, Double.NaN, m.params(train.channels(), train.classes()), flops, seconds(start),
                            "over_budget", String.format("%.1f MFLOPs per example exceeds the cap of %.1f", flops / 1e6, maxFlops / 1e6),
                            Double.NaN);
            }
            if (previousArch != null && !previousArch.equals(a)) backend.releaseCached();   // another child's shapes
            previousArch = a;
            try (ImageNetwork net = ChildBuilder.image(a, train.channels(), train.height(), train.width(), train.classes(), backend, seed)) {
                TrainResult r = ImageTrainer.train(net, train, validation, null, config.withSeed(seed), listeners.get());
                return new ChildResult(r.reward(), r.lastValAccuracy(), net.parameterCount(), net.flopsPerExample(), seconds(start),
                        r.status(), r.error(), Double.NaN);
            }
        } catch (OutOfMemoryError | DeviceOutOfMemoryException e) {   // building it did not fit
            return ChildResult.failed("out_of_memory", String.valueOf(e.getMessage()), seconds(start));
        } catch (RuntimeException e) {
            return ChildResult.failed("failed", e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(start));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
