package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Row lookup: the embedding of token ids through {@link Backend#gatherRows}. */
public final class Embedding {
    private Embedding() {}

    /** table (V, D), ids int32 of any shape S -> (S..., D). Repeated ids accumulate their gradients. */
    public static Tensor lookup(Tensor table, Tensor ids) {
        Grads.requireRank("embedding", "table (V, D)", table, 2);
        Grads.requireSameBackend("embedding", table, ids);
        if (ids.dtype() != DType.INT32)
            throw new IllegalArgumentException("embedding: ids must be int32, got " + ids);
        int count = Math.toIntExact(ids.size()), width = table.dim(1);
        int[] outShape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        outShape[ids.rank()] = width;
        Backend be = table.backend();
        boolean rec = Tape.recording(table);
        Tensor y = Tensor.output(be, rec, outShape);
        be.gatherRows(count, width, table.data(), ids.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null) be.gatherRowsBackward(count, width, dy, ids.data(), table.grad());
        });
        return y;
    }
}
