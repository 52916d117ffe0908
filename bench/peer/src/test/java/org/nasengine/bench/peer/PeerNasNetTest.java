package org.nasengine.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.Batches;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.child.NasNetNetwork;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.NasNet;

/** The peer's NASNet must be our NASNet: same parameters for every operation kind, and it learns. */
class PeerNasNetTest {
    // every one of the 13 operations, both combines, reads of cell inputs and of blocks
    private static final String ARCH = """
            {"space": "nasnet",
             "normal": [
               {"inputs": [1, 0], "ops": ["sep_conv_3x3", "identity"], "combine": "add"},
               {"inputs": [0, 2], "ops": ["conv_1x3_3x1", "dil_conv_3x3"], "combine": "concat"},
               {"inputs": [3, 1], "ops": ["avg_pool_3x3", "max_pool_5x5"], "combine": "add"},
               {"inputs": [1, 4], "ops": ["conv_1x1", "sep_conv_7x7"], "combine": "add"}
             ],
             "reduction": [
               {"inputs": [0, 1], "ops": ["max_pool_3x3", "sep_conv_5x5"], "combine": "add"},
               {"inputs": [1, 2], "ops": ["conv_1x7_7x1", "identity"], "combine": "concat"},
               {"inputs": [0, 3], "ops": ["max_pool_7x7", "conv_3x3"], "combine": "add"}
             ],
             "repeats": 1, "filters": 6}""";

    @BeforeAll
    static void offline() {
        Djl.configure(1);
    }

    @Test
    void parametersMatchOurNetwork() {
        NasNet arch = ArchitectureCodec.parse(ARCH, NasNet.class);
        long ours;
        try (JavaBackend be = new JavaBackend(); NasNetNetwork net = new NasNetNetwork(arch, 3, 12, 10, 10, be, 1)) {
            ours = net.parameterCount();
        }
        try (PeerTrainer t = new PeerTrainer(arch, 3, 12, 10, 10, 4, 0.05f, 1)) {
            assertEquals(ours, t.parameterCount());
        }
    }

    @Test
    void trainingLowersTheLoss() {
        NasNet arch = ArchitectureCodec.parse(ARCH, NasNet.class);
        ImageDataset ds = new Synthetic(3, 12, 4, 3).dataset(256, 32, HoldOut.ofCount(64, 3));
        try (PeerTrainer t = new PeerTrainer(arch, 3, 12, 12, 4, 32, 0.05f, 1)) {
            Batches batches = new Batches(ds.train(), 32, 1).dropLast();
            float first = Float.NaN, last = Float.NaN;
            for (int epoch = 0; epoch < 4; epoch++) {
                while (batches.hasNext()) {
                    Batches.Batch b = batches.next();
                    last = t.step(b.images(), b.labels());
                    if (Float.isNaN(first)) first = last;
                }
                batches.nextEpoch();
            }
            assertTrue(last < 0.7 * first, "loss went " + first + " -> " + last);
        }
    }
}
