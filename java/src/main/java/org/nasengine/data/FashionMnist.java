package org.nasengine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST: 60,000 training and 10,000 test grey 28x28 images of 10 classes, as gzip IDX
 * files ({@code apt-get install dataset-fashion-mnist} puts them in {@link #DEFAULT_DIR}).
 */
public final class FashionMnist {
    public static final String NAME = "fashion-mnist";
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int SIZE = 28;
    public static final int CLASSES = 10;
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private FashionMnist() {
    }

    public static ImageDataset load(HoldOut holdOut) throws IOException {
        return load(DEFAULT_DIR, holdOut);
    }

    public static ImageDataset load(Path dir, HoldOut holdOut) throws IOException {
        return ImageDataset.of(NAME, readTrain(dir), readTest(dir), holdOut);
    }

    public static RawImages readTrain(Path dir) throws IOException {
        return read(dir, "train");
    }

    public static RawImages readTest(Path dir) throws IOException {
        return read(dir, "t10k");
    }

    private static RawImages read(Path dir, String prefix) throws IOException {
        Path imageFile = DataFiles.find(dir, prefix + "-images-idx3-ubyte", NAME, FILES);
        Path labelFile = DataFiles.find(dir, prefix + "-labels-idx1-ubyte", NAME, FILES);
        Idx.Array images = Idx.read(imageFile, 3);
        if (images.dims()[1] != SIZE || images.dims()[2] != SIZE)
            throw new DatasetException(imageFile, "images are " + images.dims()[1] + "x" + images.dims()[2]
                    + ", expected " + SIZE + "x" + SIZE);
        Idx.Array labels = Idx.read(labelFile, 1);
        if (labels.count() != images.count())
            throw new DatasetException(labelFile, labels.count() + " labels for the " + images.count() + " images of "
                    + imageFile.getFileName());
        int[] lb = new int[labels.count()]; // (N)
        for (int i = 0; i < lb.length; i++) {
            lb[i] = labels.data()[i] & 0xff;
            if (lb[i] >= CLASSES)
                throw new DatasetException(labelFile, "label " + i + " is " + lb[i] + ", out of range 0.." + (CLASSES - 1));
        }
        return new RawImages(images.data(), lb, 1, SIZE, SIZE, CLASSES);
    }
}
