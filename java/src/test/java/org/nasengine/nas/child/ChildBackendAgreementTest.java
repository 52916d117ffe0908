package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.Backend;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * The same children (same seeds, so the same weights and dropout masks) trained a few steps on the
 * reference backend and on the native one: the logits and losses agree to float32 precision.
 * Skipped where the native library is absent.
 */
class ChildBackendAgreementTest {
    static final double ATOL = 2e-4, RTOL = 2e-3;

    private static void assumeNative() {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
    }

    /** Per backend: the losses of a few SGD steps, then the final logits. */
    private static float[][] both(Function<Backend, float[]> run) {
        try (JavaBackend ref = new JavaBackend(); NativeBackend cpu = new NativeBackend()) {
            return new float[][] {run.apply(ref), run.apply(cpu)};
        }
    }

    private static void assertAgree(String what, float[][] pair) {
        float[] ref = pair[0], got = pair[1];
        assertEquals(ref.length, got.length, what + ": length");
        StringBuilder bad = new StringBuilder();
        int count = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(got[i] - ref[i]) <= ATOL + RTOL * Math.abs(ref[i]))) {
                if (count++ < 5) bad.append(String.format(" [%d] native %.7g java %.7g;", i, got[i], ref[i]));
            }
        }
        if (count > 0) fail(what + " (" + ref.length + " values): " + count + " mismatches:" + bad);
    }

    @Test
    void nasNetTrainsAlikeOnBothBackends() throws IOException {
        assumeNative();
        NasNet ref = (NasNet) ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-nasnet-a.json"));
        NasNet small = new NasNet(ref.normal(), ref.reduction(), 1, 4);
        float[] images = NasNetNetworkTest.randomImages(3, 2 * 3 * 12 * 12);
        int[] labels = {4, 9};
        assertAgree("nasnet losses then logits", both(be -> {
            try (NasNetNetwork net = new NasNetNetwork(small, 3, 12, 12, 10, be, 17); Sgd opt = new Sgd(net.parameters())) {
                float[] out = new float[3 + 2 * 10];
                for (int step = 0; step < 4; step++) {
                    try (Scope s = Scope.open()) {
                        Tensor logits = net.forward(Tensor.of(be, images, 2, 3, 12, 12));
                        if (step == 3) {
                            System.arraycopy(logits.toArray(), 0, out, 3, 20);
                            break;
                        }
                        Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, labels, 2));
                        out[step] = loss.item();
                        opt.zeroGrad();
                        loss.backward();
                        opt.step(0.05f);
                    }
                }
                return out;
            }
        }));
    }

    @Test
    void nb201TrainsAlikeOnBothBackends() {
        assumeNative();
        // every edge kind; node 1 is all none (zeros) and convolutions still read it
        Nb201 arch = new Nb201(Nb201.parseCell(
                "|none~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"), 4, 1);
        float[] images = NasNetNetworkTest.randomImages(5, 2 * 3 * 12 * 12);
        int[] labels = {2, 8};
        assertAgree("nb201 losses then logits", both(be -> {
            try (Nb201Network net = new Nb201Network(arch, 3, 12, 12, 10, be, 23); Sgd opt = new Sgd(net.parameters())) {
                float[] out = new float[3 + 2 * 10];
                for (int step = 0; step < 4; step++) {
                    try (Scope s = Scope.open()) {
                        Tensor logits = net.forward(Tensor.of(be, images, 2, 3, 12, 12));
                        if (step == 3) {
                            System.arraycopy(logits.toArray(), 0, out, 3, 20);
                            break;
                        }
                        Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, labels, 2));
                        out[step] = loss.item();
                        opt.zeroGrad();
                        loss.backward();
                        opt.step(0.05f);
                    }
                }
                return out;
            }
        }));
    }

    @Test
    void languageModelTrainsAlikeOnBothBackends() throws IOException {
        assumeNative();
        int[] train = LanguageModelTrainerTest.periodic(400, 20, 1), valid = LanguageModelTrainerTest.periodic(200, 20, 2);
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 8).withMaxSteps(5);
        var cell = RnnCellNetworkTest.refRnnA();
        assertAgree("language model train loss, validation perplexity", both(be -> {
            // dropout on: its masks come from the same counter-based hash on every backend
            try (RnnLanguageModel lm = new RnnLanguageModel(cell, 20, 16, 0.3f, 0.3f, be, 4)) {
                LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, null, cfg);
                assertEquals("ok", r.status(), r.error());
                return new float[] {(float) r.lastLoss(), (float) r.valPerplexity()};
            }
        }));
    }
}
