package org.nasengine.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.data.Batches;
import org.nasengine.data.Cifar10;
import org.nasengine.data.FashionMnist;
import org.nasengine.cli.PeakMemory;
import org.nasengine.data.HoldOut;
import org.nasengine.data.SharedData;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.child.TrainResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * One timed training run of one engine in this process, printed as one JSON line: ours through
 * {@link ImageTrainer} on the native backend, or the peer through {@link PeerTrainer}, on the
 * same data in the same order ({@link Batches} with the same seed), {@code warmup} steps then
 * {@code steps} timed ones, all inside the first epoch. The time of each step is taken between
 * consecutive step ends, so both sides pay for fetching their batch. Peak RSS (VmHWM) is this
 * process's, read at the end.
 */
public final class StepRun {
    private StepRun() {}

    /** Figures of one run. */
    public record Result(String engine, double imagesPerSec, double medianStepMs, float firstLoss, float lastLoss,
                         double valAccuracy, long params, double peakRssMb, double cpuSeconds) {
        String json() {
            return String.format(Locale.ROOT, "{\"engine\":\"%s\",\"images_per_sec\":%.3f,\"median_step_ms\":%.1f,"
                            + "\"first_loss\":%.4f,\"last_loss\":%.4f,\"val_accuracy\":%.4f,\"params\":%d,\"peak_rss_mb\":%.1f,"
                            + "\"cpu_seconds\":%.2f}",
                    engine, imagesPerSec, medianStepMs, firstLoss, lastLoss, valAccuracy, params, peakRssMb, cpuSeconds);
        }
    }

    public static void main(String[] args) throws IOException {
        RunOptions o = RunOptions.parse(args);
        if (o.engine().equals("peer")) Djl.configure(o.threads()); // before DJL starts its engine
        System.out.println(run(o).json());
    }

    public static Result run(RunOptions o) throws IOException {
        Architecture arch = ArchitectureCodec.read(o.arch());
        ImageDataset ds = load(o.dataset(), o.seed());
        int total = o.warmup() + o.steps();
        int perEpoch = ds.train().count() / o.batch();
        if (total > perEpoch)
            throw new IllegalArgumentException(total + " steps do not fit one epoch of " + ds.name() + " (" + perEpoch
                    + " batches of " + o.batch() + "); ours evaluates between epochs, which would land in the timing");
        ImageSplit val = head(ds.validation(), 2 * o.batch());
        long[] ends = new long[total + 1]; // ends[k]: when step k finished; ends[0] when training began
        float[] losses = new float[total];
        double acc;
        long params;
        if (o.engine().equals("ours")) {
            NativeBackend.setThreads(o.threads());
            try (Backend be = Backends.open("cpu");
                 ImageNetwork net = ChildBuilder.image(arch, ds.channels(), ds.height(), ds.width(), ds.classes(), be, o.seed())) {
                TrainConfig cfg = new TrainConfig(1, o.batch(), o.lr(), "sgd", 0.9f, 1e-4f, true, "constant", total, 1,
                        false, false, o.seed());
                ends[0] = System.nanoTime();
                TrainResult r = ImageTrainer.train(net, ds.train(), val, null, cfg, new ImageTrainer.Listener() {
                    @Override
                    public void step(int epoch, long step, long stepsTotal, float loss, double imagesPerSec) {
                        ends[(int) step] = System.nanoTime();
                        losses[(int) step - 1] = loss;
                    }
                });
                if (!r.ok()) throw new IllegalStateException("our training ended " + r.status() + ": " + r.error());
                acc = r.lastValAccuracy();
                params = net.parameterCount();
            }
        } else {
            try (PeerTrainer t = new PeerTrainer(arch, ds.channels(), ds.height(), ds.width(), ds.classes(), o.batch(), o.lr(), o.seed())) {
                Batches batches = new Batches(ds.train(), o.batch(), o.seed()).dropLast();
                ends[0] = System.nanoTime();
                for (int s = 0; s < total; s++) {
                    Batches.Batch b = batches.next();
                    losses[s] = t.step(b.images(), b.labels());
                    ends[s + 1] = System.nanoTime();
                }
                acc = t.accuracy(val);
                params = t.parameterCount();
            }
        }
        double[] stepMs = new double[o.steps()];
        for (int s = 0; s < o.steps(); s++) stepMs[s] = (ends[o.warmup() + s + 1] - ends[o.warmup() + s]) / 1e6;
        double seconds = (ends[total] - ends[o.warmup()]) / 1e9;
        return new Result(o.engine(), (double) o.steps() * o.batch() / seconds, median(stepMs), losses[0], losses[total - 1],
                acc, params, PeakMemory.rssMb(), cpuSeconds());
    }

    /** CPU time this process has used, all threads, native ones included. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    static ImageDataset load(String name, long seed) throws IOException {
        return switch (name) {
            case FashionMnist.NAME -> FashionMnist.load(HoldOut.ofCount(5000, seed));
            case Cifar10.NAME -> Cifar10.load(SharedData.find("cifar10").orElseThrow(() -> new IOException("no shared/data/cifar10 above "
                    + Path.of("").toAbsolutePath())), HoldOut.ofCount(500, seed));
            default -> throw new IllegalArgumentException("--dataset '" + name + "' must be fashion-mnist or cifar10");
        };
    }

    static ImageSplit head(ImageSplit s, int n) {
        int k = Math.min(n, s.count());
        return new ImageSplit(Arrays.copyOf(s.images(), k * s.imageLength()), Arrays.copyOf(s.labels(), k), s.channels(),
                s.height(), s.width(), s.classes());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

}
