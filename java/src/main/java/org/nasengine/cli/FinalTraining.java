package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.child.TrainResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/** The papers' last step: the best child, retrained longer on the whole training split, saved as final.safetensors. */
final class FinalTraining {
    private FinalTraining() {}

    /** OUT/final.safetensors beside OUT/best.json. */
    static Path weightsBeside(Path bestFile) {
        return bestFile.toAbsolutePath().resolveSibling("final.safetensors");
    }

    static ObjectNode run(Path bestFile, ImageDataset ds, SearchSettings s, EngineOptions engine) {
        return run(bestFile, ds, s.finalEpochs(), s.batch(), s.lr(), s.seed(), engine);
    }

    static ObjectNode run(Path bestFile, ImageDataset ds, int epochs, int batch, float lr, long seed, EngineOptions engine) {
        Architecture a = Architectures.read(bestFile);
        TrainConfig cfg = new TrainConfig(epochs, batch, lr, "sgd", 0.9f, 1e-4f, true, "cosine", 0, 5, false, false, seed);
        try (Backend backend = Engine.open(engine);
             ImageNetwork net = ChildBuilder.image(a, ds.channels(), ds.height(), ds.width(), ds.classes(), backend, seed);
             ProgressBar bar = Progress.bar("final", 1)) {
            System.err.printf("%nfinal training of %s: %d epochs on %d images%n", bestFile, epochs, ds.train().count());
            TrainResult r = ImageTrainer.train(net, ds.train(), ds.validation(), ds.test(), cfg, Progress.trainListener(bar));
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(a));
            out.put("params", net.parameterCount());
            out.put("epochs", r.epochs());
            Json.putNumber(out, "val_accuracy", r.lastValAccuracy());
            Json.putNumber(out, "test_accuracy", r.testAccuracy());
            Json.putNumber(out, "train_images_per_sec", r.trainImagesPerSec());
            Json.putNumber(out, "eval_images_per_sec", r.evalImagesPerSec());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (r.ok()) { // the network the search found, for train --load and export
                Path weights = weightsBeside(bestFile);
                SavedWeights.saveImage(weights, net, a, ds);
                out.put("weights", weights.getFileName().toString());
            }
            return out;
        }
    }
}
