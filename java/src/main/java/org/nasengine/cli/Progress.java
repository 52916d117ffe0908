package org.nasengine.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nasengine.nas.child.ImageTrainer;

/** Progress bars on standard error, so standard output keeps only the JSON results. */
final class Progress {
    private Progress() {}

    static ProgressBar bar(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err, 140)) // a visible bar when not on a terminal
                .setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    static ImageTrainer.Listener trainListener(ProgressBar bar) {
        return new ImageTrainer.Listener() {
            @Override
            public void step(int epoch, long step, long total, float loss, double imagesPerSec) {
                bar.maxHint(total);
                bar.stepTo(step);
                bar.setExtraMessage(String.format(" epoch %d loss %.3f %s", epoch + 1, loss,
                        Double.isNaN(imagesPerSec) ? "" : String.format("%.0f img/s", imagesPerSec)));
            }

            @Override
            public void epoch(int epoch, double valAccuracy) {
                System.err.printf("%nepoch %d: validation accuracy %.4f%n", epoch + 1, valAccuracy);
            }
        };
    }
}
