package org.nasengine.bench.peer;

import java.nio.file.Path;
import org.nasengine.data.Batches;
import org.nasengine.data.ImageDataset;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * The PyTorch figure beside our {@code train} command's accuracy: the same child, data split,
 * batch, epochs and recipe (SGD Nesterov 0.9, weight decay 1e-4, cosine from lr to 0 over all
 * steps, the short last batch dropped), trained through DJL; prints one JSON line.
 *
 * <pre>java -cp bench/peer/target/peer.jar org.nasengine.bench.peer.PeerAccuracy ARCH [EPOCHS] [BATCH] [LR] [THREADS] [SEED]</pre>
 */
public final class PeerAccuracy {
    private PeerAccuracy() {}

    public static void main(String[] args) throws Exception {
        Path archFile = Path.of(args[0]);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        float lr = args.length > 3 ? Float.parseFloat(args[3]) : 0.1f;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        Djl.configure(threads);
        Architecture arch = ArchitectureCodec.read(archFile);
        ImageDataset ds = StepRun.load("fashion-mnist", seed);
        Batches batches = new Batches(ds.train(), batch, seed).dropLast();
        int total = batches.batchesPerEpoch() * epochs;
        long start = System.nanoTime();
        StringBuilder vals = new StringBuilder();
        try (PeerTrainer t = new PeerTrainer(arch, ds.channels(), ds.height(), ds.width(), ds.classes(), batch, lr, total, seed)) {
            for (int e = 0; e < epochs; e++) {
                while (batches.hasNext()) {
                    Batches.Batch b = batches.next();
                    t.step(b.images(), b.labels());
                }
                batches.nextEpoch();
                double val = t.accuracy(ds.validation());
                vals.append(e == 0 ? "" : ",").append(String.format("%.4f", val));
                System.err.printf("epoch %d: validation accuracy %.4f (%.0f s)%n", e + 1, val, (System.nanoTime() - start) / 1e9);
            }
            double test = t.accuracy(ds.test());
            System.out.printf("{\"peer\":\"pytorch-djl\",\"arch\":\"%s\",\"epochs\":%d,\"val_accuracy\":[%s],\"test_accuracy\":%.4f,\"seconds\":%.1f}%n",
                    archFile.getFileName(), epochs, vals, test, (System.nanoTime() - start) / 1e9);
        }
    }
}
