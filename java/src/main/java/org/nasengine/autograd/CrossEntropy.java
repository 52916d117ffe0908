package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Softmax cross-entropy of logits against int32 class labels. */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** logits (N, C), labels int32 (N) -> the mean loss over rows, shape (1). */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        return Reductions.mean(perRow(logits, labels));
    }

    /** logits (N, C), labels int32 (N) -> loss (N), -log softmax(logits[r])[labels[r]]. */
    public static Tensor perRow(Tensor logits, Tensor labels) {
        Grads.requireRank("softmaxCrossEntropy", "logits (N, C)", logits, 2);
        Grads.requireSameBackend("softmaxCrossEntropy", logits, labels);
        int rows = logits.dim(0), cols = logits.dim(1);
        if (labels.dtype() != DType.INT32 || labels.size() != rows)
            throw new IllegalArgumentException("softmaxCrossEntropy: labels must be int32 with " + rows
                    + " values for logits " + Arrays.toString(logits.shape()) + ", got " + labels);
        Backend be = logits.backend();
        boolean rec = Tape.recording(logits);
        Tensor loss = Tensor.output(be, rec, rows);
        Tensor probs = Tensor.output(be, false, rows, cols); // kept for the backward; scope-owned
        be.softmaxCrossEntropy(rows, cols, logits.data(), labels.data(), probs.data(), loss.data());
        if (rec) Tape.current().record(() -> {
            Buffer dLoss = loss.gradOrNull();
            if (dLoss != null)
                be.softmaxCrossEntropyBackward(rows, cols, probs.data(), labels.data(), dLoss, logits.grad());
        });
        return loss;
    }
}
