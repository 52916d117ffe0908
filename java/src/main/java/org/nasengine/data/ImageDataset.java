package org.nasengine.data;

/**
 * Labelled images in three splits. The validation split is held out of the training file (the
 * test file is never looked at during a search); every split is normalised with the statistics
 * of the remaining training images.
 */
public record ImageDataset(String name, ImageSplit train, ImageSplit validation, ImageSplit test, ChannelStats stats)
        implements Dataset {

    /** Holds out the validation split, computes training statistics, normalises all three. */
    public static ImageDataset of(String name, RawImages trainFile, RawImages testFile, HoldOut holdOut) {
        return of(name, trainFile, testFile, holdOut, null);
    }

    /**
     * The same, normalised with {@code fixed} instead when it is given: the statistics a saved
     * network was trained with, so that evaluating it sees the inputs it saw.
     */
    public static ImageDataset of(String name, RawImages trainFile, RawImages testFile, HoldOut holdOut, ChannelStats fixed) {
        if (trainFile.channels() != testFile.channels() || trainFile.height() != testFile.height()
                || trainFile.width() != testFile.width() || trainFile.classes() != testFile.classes())
            throw new IllegalArgumentException(name + ": train images (" + shape(trainFile) + ") and test images ("
                    + shape(testFile) + ") differ");
        int[][] split = holdOut.split(trainFile.count());
        RawImages train = trainFile.select(split[0]);
        RawImages validation = trainFile.select(split[1]);
        if (fixed != null && fixed.channels() != train.channels())
            throw new IllegalArgumentException(name + ": normalization of " + fixed.channels() + " channels for images of "
                    + train.channels());
        ChannelStats stats = fixed != null ? fixed : ChannelStats.of(train);
        return new ImageDataset(name, ImageSplit.of(train, stats), ImageSplit.of(validation, stats),
                ImageSplit.of(testFile, stats), stats);
    }

    public int channels() {
        return train.channels();
    }

    public int height() {
        return train.height();
    }

    public int width() {
        return train.width();
    }

    public int classes() {
        return train.classes();
    }

    private static String shape(RawImages r) {
        return r.channels() + "x" + r.height() + "x" + r.width() + ", " + r.classes() + " classes";
    }
}
