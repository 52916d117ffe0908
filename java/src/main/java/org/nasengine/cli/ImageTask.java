package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.ImageChildEvaluator;

/** Image children: a proxy of few epochs on a training subset, rewarded by validation accuracy. */
final class ImageTask implements ChildTask {
    private final SearchSettings s;
    private final EngineOptions engine;
    private final ImageDataset ds;
    private final ImageSplit proxyTrain;

    ImageTask(SearchSettings s, EngineOptions engine) {
        this.s = s;
        this.engine = engine;
        this.ds = DataOptions.loadImages(s.dataset(), s.dataDir() == null ? null : Path.of(s.dataDir()), s.validation(), s.seed());
        this.proxyTrain = DataOptions.subset(ds.train(), s.trainSubset(), s.seed());
    }

    @Override
    public String describe() {
        return String.format("%s (%d proxy training images x %d epochs, %d validation)", ds.name(), proxyTrain.count(),
                s.childEpochs(), ds.validation().count());
    }

    @Override
    public ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        TrainConfig proxy = new TrainConfig(s.childEpochs(), s.batch(), s.lr(), "sgd", 0.9f, 1e-4f, true, "cosine", 0, 5,
                false, false, s.seed());
        return new ImageChildEvaluator(backend, proxyTrain, ds.validation(), proxy, s.maxMflops() * 1e6, progress);
    }

    @Override
    public ObjectNode finalTraining(Path bestFile) {
        return FinalTraining.run(bestFile, ds, s, engine);
    }
}
