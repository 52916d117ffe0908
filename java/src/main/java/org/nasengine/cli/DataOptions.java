package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.nasengine.data.Cifar10;
import org.nasengine.data.DatasetException;
import org.nasengine.data.FashionMnist;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.ImageSplit;
import org.nasengine.data.SharedData;
import org.nasengine.data.Synthetic;
import org.nasengine.tensor.Rng;
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
            description = "Images held out of the training set for validation (rewards use them). Default: ${DEFAULT-VALUE}.")
    int validation;

    /** Loads the image dataset, turning a missing or corrupt file into a one-line user error. */
    ImageDataset loadImages(long seed) {
        return loadImages(dataset, dataDir, validation, seed);
    }

    /** The same for settings that do not come from this command line (a resumed search). */
    static ImageDataset loadImages(String dataset, Path dataDir, int validation, long seed) {
        HoldOut holdOut = HoldOut.ofCount(validation, seed);
        try {
            return switch (dataset) {
                case FashionMnist.NAME -> FashionMnist.load(dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir, holdOut);
                case Cifar10.NAME -> Cifar10.load(dataDir != null ? dataDir : SharedData.find("cifar10").orElseThrow(
                        () -> new UserError("cifar10: no --data-dir given and no shared/data/cifar10 found")), holdOut);
                case Synthetic.NAME -> new Synthetic(1, 16, 10, seed).dataset(4000, 1000, holdOut);
                default -> throw new UserError("dataset '" + dataset + "' is not one of fashion-mnist, cifar10, synthetic");
            };
        } catch (DatasetException e) {
            throw new UserError(e.getMessage()
                    + (dataset.equals(FashionMnist.NAME) && dataDir == null ? " (install it: apt-get install dataset-fashion-mnist)" : ""), e);
        } catch (IOException e) {
            throw new UserError("cannot read dataset " + dataset + ": " + e.getMessage(), e);
        }
    }

    /** A random subset of n images of the split (all of it when n is 0 or too large). */
    static ImageSplit subset(ImageSplit split, int n, long seed) {
        if (n <= 0 || n >= split.count()) return split;
        int[] order = new int[split.count()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) { // partial Fisher-Yates: the first n are a uniform sample
            int j = i + rng.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int len = split.imageLength();
        float[] images = new float[n * len];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(split.images(), order[i] * len, images, i * len, len);
            labels[i] = split.labels()[order[i]];
        }
        return new ImageSplit(images, labels, split.channels(), split.height(), split.width(), split.classes());
    }
}
