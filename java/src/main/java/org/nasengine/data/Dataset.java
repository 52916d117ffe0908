package org.nasengine.data;

/**
 * A dataset split into train, validation and test: labelled images ({@link ImageDataset}) or a
 * token stream ({@link TokenDataset}).
 */
public sealed interface Dataset permits ImageDataset, TokenDataset {

    /** fashion-mnist, cifar10, ptb, synthetic. */
    String name();
}
