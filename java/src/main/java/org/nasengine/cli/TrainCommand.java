package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.Backend;
import org.nasengine.data.ChannelStats;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.PennTreebank;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Trains one child with a progress bar and prints one JSON line of results last. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one child architecture and print its figures as one JSON line.",
                "Image children (macro-cnn, nasnet) take the image options. Language models (rnn-cell, lstm) train on ptb with the "
                        + "language-model options, by default Zaremba et al.'s small recipe: SGD lr 1 on the loss summed over the bptt "
                        + "steps of a window, gradient norm clipped to 5, the rate halved each epoch after the fourth. Options of the "
                        + "other kind are refused."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "Architecture file (the JSON forms of spec/architectures.md).")
    Path arch;

    @Option(names = "--epochs", defaultValue = "3",
            description = "Training epochs (0: evaluate only; one epoch of ptb is 929,589 tokens). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Write the trained network to FILE (safetensors: weights, batch-norm statistics, input normalization).")
    Path save;

    @Option(names = "--load", paramLabel = "FILE",
            description = "Start from the network in FILE (written by --save or a search's final.safetensors); with --epochs 0, evaluate it.")
    Path load;

    @Option(names = "--train-subset", defaultValue = "0", description = "Train on this many images of the training split (0: all). Default: ${DEFAULT-VALUE}.")
    int trainSubset;

    @Mixin DataOptions data;
    @Mixin TrainOptions training;
    @Mixin EngineOptions engine;
    @Mixin RnnOptions rnn;

    @Spec CommandSpec spec;

    /** Options that only image children use. */
    private static final List<String> IMAGE_ONLY = List.of("--batch", "--lr", "--train-subset", "--data-dir", "--optimizer",
            "--schedule", "--weight-decay", "--augment", "--reward-epochs", "--cube-reward", "--validation");

    @Override
    public Integer call() {
        if (epochs < 0) throw new UserError("--epochs (" + epochs + ") must be >= 0 (0 evaluates without training)");
        Architecture a = Architectures.read(arch);
        if (save != null) SavedWeights.checkWritable(save);
        ParseResult given = spec.commandLine().getParseResult();
        if (a instanceof RnnCell || a instanceof Lstm) {
            String what = arch.getFileName() + " is " + (a instanceof Lstm ? "an lstm" : "an rnn-cell") + " language model";
            RnnOptions.refuseImageOptions(given::hasMatchedOption, given.hasMatchedOption("--dataset") ? data.dataset : null,
                    IMAGE_ONLY, what);
            rnn.settings(); // values out of range first
            if (a instanceof Lstm lstm && given.hasMatchedOption("--hidden") && rnn.hidden != lstm.hidden())
                throw new UserError("--hidden " + rnn.hidden + ": " + what + " of hidden size " + lstm.hidden() + " (edit the file to change it)");
            return rnn.train(a, arch, epochs, training.maxSteps, engine, load, save);
        }
        RnnOptions.refuseLanguageModelOptions(given::hasMatchedOption, List.of(), arch.getFileName() + " is " + a.space());
        if (data.dataset.equals(PennTreebank.NAME))
            throw new UserError("ptb is a language-model dataset (rnn-cell, lstm); " + arch.getFileName() + " is " + a.space());
        // a loaded network sees its inputs normalised as in its training
        ChannelStats trained = load == null ? null : SavedWeights.normalization(load);
        ImageDataset ds = data.loadImages(engine.seed, trained);
        try (Backend backend = Engine.open(engine);
             ImageNetwork net = ChildBuilder.image(a, ds.channels(), ds.height(), ds.width(), ds.classes(), backend, engine.seed)) {
            if (load != null) SavedWeights.loadImage(load, net, a, ds);
            var train = ds.train().sample(trainSubset, engine.seed);
            System.err.printf("%s %s on %s (%d train, %d validation, %d test images) on %s, %,d parameters%n",
                    epochs == 0 ? "evaluating" : "training", arch.getFileName(), ds.name(), train.count(), ds.validation().count(),
                    ds.test().count(), backend.name(), net.parameterCount());
            TrainResult r;
            if (epochs == 0) {
                double val = ds.validation().count() == 0 ? Double.NaN : ImageTrainer.accuracy(net, ds.validation(), training.batch);
                r = new TrainResult("ok", null, 0, 0, Double.NaN, Double.NaN, Double.isNaN(val) ? List.of() : List.of(val), 0,
                        ImageTrainer.accuracy(net, ds.test(), training.batch), Double.NaN);
            } else {
                try (ProgressBar bar = Progress.bar("train", 1)) {
                    r = ImageTrainer.train(net, train, ds.validation(), ds.test(), training.config(epochs, engine.seed),
                            Progress.trainListener(bar));
                }
            }
            ObjectNode out = Json.object();
            out.set("arch", ArchitectureCodec.toTree(a));
            out.put("params", net.parameterCount());
            out.put("epochs", r.epochs());
            Json.putNumber(out, "train_images_per_sec", r.trainImagesPerSec());
            Json.putNumber(out, "eval_images_per_sec", r.evalImagesPerSec());
            Json.putNumber(out, "val_accuracy", r.lastValAccuracy());
            Json.putNumber(out, "test_accuracy", r.testAccuracy());
            Json.putNumber(out, "peak_rss_mb", PeakMemory.rssMb());
            out.put("status", r.status());
            if (r.error() != null) out.put("error", r.error());
            if (save != null && r.ok()) {
                SavedWeights.saveImage(save, net, a, ds);
                out.put("weights", save.toString());
            }
            System.out.println(Json.line(out));
            return r.ok() ? 0 : 1;
        }
    }
}
