package org.nasengine.cli;

import picocli.CommandLine.Option;

/**
 * The options of the weight-sharing strategies ({@code --strategy enas} and {@code --strategy darts}),
 * a mixin of {@code search}. Unset values take the strategy's and space's defaults (see
 * {@link OneShotSettings#of}).
 */
public final class OneShotOptions {
    @Option(names = "--search-epochs", description = "enas/darts: epochs of the shared weights over the training split (or --train-subset)"
            + " (default: 20 on nb201, 3 on macro-cnn; on nasnet darts 2, enas 10).")
    Integer searchEpochs;
    @Option(names = "--supernet-channels", description = "enas/darts on nb201 and nasnet: channels C (F) of the supernet's first stage (default 8 on nb201,"
            + " where the found cell is retrained and reported at the benchmark's 16; 4 on nasnet, retrained at --nasnet-filters).")
    Integer supernetChannels;
    @Option(names = "--supernet-cells", description = "enas/darts on nb201 and nasnet: cells per stage of the supernet (default 1;"
            + " a nasnet supernet of 1 is normal, reduction, normal, reduction, normal).")
    Integer supernetCells;
    @Option(names = "--supernet-lr", description = "enas/darts: SGD learning rate of the shared weights, cosine to 0.001 (default darts 0.025, enas 0.05).")
    Float supernetLr;
    @Option(names = "--darts-mode", description = "darts: plain (DARTS), gdas (Gumbel-softmax sampling, Dong and Yang 2019) or aux-skip"
            + " (DARTS-, an auxiliary skip decaying from 1 to 0, Chu et al. 2021; nb201 only). Default: plain.")
    String dartsMode;
    @Option(names = "--second-order", description = "darts: the unrolled (second-order) architecture gradient instead of the first-order one.")
    boolean secondOrder;
    @Option(names = "--warmup-epochs", description = "darts: first epochs that train the weights only, the architecture held (default 0, as in the paper).")
    Integer warmupEpochs;
    @Option(names = "--arch-lr", description = "darts: Adam learning rate of the architecture parameters (default 3e-4; 3e-3 on nasnet, whose default search is short).")
    Float archLr;
    @Option(names = "--controller-steps", description = "enas: controller updates after each epoch of the shared weights (default 20).")
    Integer controllerSteps;
    @Option(names = "--enas-samples", description = "enas: architectures sampled at the end and scored on validation batches; the best is retrained (default 100).")
    Integer enasSamples;
}
