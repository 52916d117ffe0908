package org.nasengine.nas.oneshot;

import org.nasengine.tensor.Tensor;

/** Running means over an epoch: training loss and accuracy, and the architecture step's loss. */
final class Meter {
    private double trainLoss, archLoss;
    private long steps, correct, seen;

    void add(float trainLoss, float archLoss) {
        this.trainLoss += trainLoss;
        this.archLoss += archLoss;
        steps++;
    }

    /** Counts the batch's top-1 hits: logits (N, classes), labels (N). */
    void addAccuracy(Tensor logits, int[] labels) {
        correct += Archs.correct(logits.toArray(), labels, logits.dim(1));
        seen += logits.dim(0);
    }

    double trainLoss() { return steps == 0 ? Double.NaN : round(trainLoss / steps); }
    double archLoss() { return steps == 0 ? Double.NaN : round(archLoss / steps); }
    double accuracy() { return seen == 0 ? Double.NaN : round(correct / (double) seen); }

    /** The running sums, for a checkpoint taken in the middle of an epoch. */
    com.fasterxml.jackson.databind.node.ArrayNode state() {
        com.fasterxml.jackson.databind.node.ArrayNode a = OneShotStore.JSON.createArrayNode();
        a.add(trainLoss).add(archLoss).add(steps).add(correct).add(seen);
        return a;
    }

    void restore(com.fasterxml.jackson.databind.JsonNode a) {
        if (a == null) return;
        trainLoss = a.get(0).asDouble();
        archLoss = a.get(1).asDouble();
        steps = a.get(2).asLong();
        correct = a.get(3).asLong();
        seen = a.get(4).asLong();
    }

    void reset() {
        trainLoss = archLoss = 0;
        steps = correct = seen = 0;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
