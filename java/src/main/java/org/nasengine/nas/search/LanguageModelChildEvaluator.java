package org.nasengine.nas.search;

import org.nasengine.backend.Backend;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.LanguageModel;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.RnnCell;

/**
 * Trains a sampled recurrent cell as a two-layer language model on the search's proxy and
 * rewards it with c / (validation perplexity)^2 (Zoph and Le: c = 80). A child the device has
 * no memory for is out_of_memory; before a child of another cell than the last, the backend's
 * cached buffers go back to the device.
 */
public final class LanguageModelChildEvaluator implements ChildEvaluator {
    private final Backend backend;
    private final TokenDataset corpus;
    private final int hidden;
    private final float dropout;
    private final LmTrainConfig config;
    /** The child trained last: the backend's pool caches buffers of its shapes. */
    private Architecture previousArch;

    public LanguageModelChildEvaluator(Backend backend, TokenDataset corpus, int hidden, float dropout, LmTrainConfig config) {
        this.backend = backend;
        this.corpus = corpus;
        this.hidden = hidden;
        this.dropout = dropout;
        this.config = config;
    }

    @Override
    public ChildResult evaluate(int trialId, Architecture arch, long seed) {
        long start = System.nanoTime();
        try {
            if (!(arch instanceof RnnCell || arch instanceof Lstm))
                return ChildResult.failed("failed", arch.space() + " is not a language model", 0);
            if (previousArch != null && !previousArch.equals(arch)) backend.releaseCached();   // another child's shapes
            previousArch = arch;
            try (LanguageModel model = ChildBuilder.languageModel(arch, corpus.vocabulary().size(), hidden, dropout, backend, seed)) {
                LmTrainResult r = LanguageModelTrainer.train(model, corpus, config, new LanguageModelTrainer.Listener() {});
                return new ChildResult(r.reward(), r.valPerplexity(), model.parameterCount(), Double.NaN,
                        (System.nanoTime() - start) / 1e9, r.status(), r.error(), Double.NaN);
            }
        } catch (OutOfMemoryError | DeviceOutOfMemoryException e) {   // building it did not fit
            return ChildResult.failed("out_of_memory", String.valueOf(e.getMessage()), (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            return ChildResult.failed("failed", e.getClass().getSimpleName() + ": " + e.getMessage(), (System.nanoTime() - start) / 1e9);
        }
    }
}
