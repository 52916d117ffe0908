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
        if (trainFile.channels() != testFile.channels() || trainFile.height() != testFile.height()
                || trainFile.width() != testFile.width() || trainFile.classes() != testFile.classes())
            throw new IllegalArgumentException(name + ": train images (" + shape(trainFile) + ") and test images ("
                    + shape(testFile) + ") differ");
        int[][] split = holdOut.split(trainFile.count());
        RawImages train = trainFile.select(split[0]);
        RawImages validation = trainFile.select(split[1]);
        ChannelStats stats = ChannelStats.of(train);
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
