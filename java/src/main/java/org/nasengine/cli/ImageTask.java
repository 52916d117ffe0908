package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.search.ImageChildEvaluator;
import org.nasengine.nas.search.ObjectiveEvaluator;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Cost;
import org.nasengine.nas.space.MacroCnn;

/** Image children: a proxy of few epochs on a training subset, rewarded by validation accuracy. */
final class ImageTask implements ChildTask {
    private final SearchSettings s;
    private final EngineOptions engine;
    private final ImageDataset ds;
    private final ImageSplit proxyTrain;
    private ImageSplit promotionTrain; // drawn when first needed: most searches end before it

    ImageTask(SearchSettings s, EngineOptions engine) {
        this.s = s;
        this.engine = engine;
        this.ds = DataOptions.loadImages(s.dataset(), s.dataDir() == null ? null : Path.of(s.dataDir()), s.validation(), s.seed());
        this.proxyTrain = ds.train().sample(s.trainSubset(), s.seed());
    }

    @Override
    public String describe() {
        return String.format("%s (%d proxy training images x %d epochs, %d validation)", ds.name(), proxyTrain.count(),
                s.childEpochs(), ds.validation().count());
    }

    @Override
    public ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        return evaluator(backend, proxyTrain, s.childEpochs(), progress);
    }

    @Override
    public ChildEvaluator promotionEvaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        if (promotionTrain == null) promotionTrain = ds.train().sample(s.goal().promoteSubset(), s.seed() + 1);
        return evaluator(backend, promotionTrain, s.goal().promoteEpochs(), progress);
    }

    @Override
    public ChildEvaluator referenceEvaluator(Backend backend) {
        // the proxy without the cost cap: a hand-written reference may cost more than the children may
        return new ImageChildEvaluator(backend, proxyTrain, ds.validation(), config(s.childEpochs()), 0, () -> new ImageTrainer.Listener() {});
    }

    private ChildEvaluator evaluator(Backend backend, ImageSplit train, int epochs, Supplier<ImageTrainer.Listener> progress) {
        ImageChildEvaluator trainer = new ImageChildEvaluator(backend, train, ds.validation(), config(epochs), s.goal().maxMflops() * 1e6,
                progress);
        return new ObjectiveEvaluator(trainer, s.goal().rewardObjective());
    }

    private TrainConfig config(int epochs) {
        return new TrainConfig(epochs, s.batch(), s.lr(), "sgd", 0.9f, 1e-4f, true, "cosine", 0, 5, s.goal().cubeReward(), false, s.seed());
    }

    @Override
    public Function<Architecture, Cost> costModel() {
        return a -> a instanceof MacroCnn m ? MacroCnnNetwork.cost(m, ds.channels(), ds.height(), ds.width(), ds.classes()) : null;
    }

    @Override
    public ObjectNode finalTraining(Path bestFile) {
        return FinalTraining.run(bestFile, ds, s, engine);
    }
}
