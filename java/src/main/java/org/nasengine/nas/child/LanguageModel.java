package org.nasengine.nas.child;

import java.util.List;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * What {@link LanguageModelTrainer} needs of a word-level language model: a forward pass over a
 * window that carries a recurrent state in and out, a zero state, the vocabulary size, and the
 * {@link Module} side (parameters, train/eval mode, close), which every implementation inherits
 * from extending Module. Implemented by the searched-cell model ({@link RnnLanguageModel}) and the
 * plain LSTM baseline ({@link LstmLanguageModel}).
 */
public interface LanguageModel extends AutoCloseable {

    /** logits (N*T, vocab) with rows in (n, t) order; the state after the last step, one per layer. */
    interface Output {
        Tensor logits();

        List<State> state();
    }

    /** ids int32 (N, T) and one state per layer -> logits (N*T, vocab) and the state after step T. */
    Output forward(Tensor ids, List<State> state);

    /** Zero state for a batch of n, one per layer (scope-owned when a scope is open). */
    List<State> zeroState(int n);

    /** Words the softmax covers. */
    int vocab();

    /** Units of each recurrent layer. */
    int hidden();

    /** This model as the module whose named parameters are saved and loaded. */
    Module module();

    // the Module side, satisfied by Module's own public methods

    List<Tensor> parameters();

    long parameterCount();

    Module train(boolean on);

    Module train();

    Module eval();

    boolean isTraining();

    @Override
    void close();
}
