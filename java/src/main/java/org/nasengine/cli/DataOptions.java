package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.nasengine.data.ChannelStats;
import org.nasengine.data.Cifar10;
import org.nasengine.data.DatasetException;
import org.nasengine.data.FashionMnist;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.SharedData;
import org.nasengine.data.Synthetic;
import picocli.CommandLine.Option;

/** Which image data a command reads, and how much of the training split it uses. */
public final class DataOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "fashion-mnist, cifar10 or synthetic; ptb for language models (rnn-cell, lstm). Default: ${DEFAULT-VALUE} (ptb for language models).")
    String dataset;

    @Option(names = "--data-dir", description = "Directory of the dataset files (default: /usr/share/datasets/fashion-mnist; "
            + "for cifar10 the shared subset when found).")
    Path dataDir;

    @Option(names = "--validation", defaultValue = "5000",
            description = "Images held out of the training set for validation (rewards use them), at most an eighth of it"
                    + " (500 of the 4,000-image CIFAR-10 subset). Default: ${DEFAULT-VALUE}.")
    int validation;

    /** Loads the image dataset, turning a missing or corrupt file into a one-line user error. */
    ImageDataset loadImages(long seed) {
        return loadImages(dataset, dataDir, validation, seed, null);
    }

    /** The same, normalised with {@code fixed} (a saved network's statistics) when it is not null. */
    ImageDataset loadImages(long seed, ChannelStats fixed) {
        return loadImages(dataset, dataDir, validation, seed, fixed);
    }

    /** The same for settings that do not come from this command line (a resumed search). */
    static ImageDataset loadImages(String dataset, Path dataDir, int validation, long seed) {
        return loadImages(dataset, dataDir, validation, seed, null);
    }

    private static ImageDataset loadImages(String dataset, Path dataDir, int validation, long seed, ChannelStats fixed) {
        if (validation < 0) throw new UserError("--validation (" + validation + ") must be >= 0");
        // at most an eighth: a small training set (the shared CIFAR-10 subset) must keep most of its images to train on
        HoldOut holdOut = new HoldOut(0.125, validation, seed);
        try {
            return switch (dataset) {
                case FashionMnist.NAME -> {
                    Path dir = dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir;
                    yield ImageDataset.of(FashionMnist.NAME, FashionMnist.readTrain(dir), FashionMnist.readTest(dir), holdOut, fixed);
                }
                case Cifar10.NAME -> {
                    Path dir = dataDir != null ? dataDir : SharedData.find("cifar10").orElseThrow(
                            () -> new UserError("cifar10: no --data-dir given and no shared/data/cifar10 found"));
                    yield ImageDataset.of(Cifar10.NAME, Cifar10.readTrain(dir), Cifar10.readTest(dir), holdOut, fixed);
                }
                case Synthetic.NAME -> {
                    Synthetic s = new Synthetic(1, 16, 10, seed);
                    yield ImageDataset.of(Synthetic.NAME, s.generate(4000, 0), s.generate(1000, 1), holdOut, fixed);
                }
                default -> throw new UserError("dataset '" + dataset + "' is not one of fashion-mnist, cifar10, synthetic");
            };
        } catch (DatasetException e) {
            throw new UserError(e.getMessage()
                    + (dataset.equals(FashionMnist.NAME) && dataDir == null ? " (install it: apt-get install dataset-fashion-mnist)" : ""), e);
        } catch (IOException e) {
            throw new UserError("cannot read dataset " + dataset + ": " + e.getMessage(), e);
        }
    }
}
