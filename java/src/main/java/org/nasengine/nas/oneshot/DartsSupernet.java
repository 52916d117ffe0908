package org.nasengine.nas.oneshot;

import org.nasengine.nas.space.Architecture;
import org.nasengine.tensor.Tensor;

/**
 * A supernet DARTS can search: a {@link SharedModel} whose cells read one {@link EdgeMix} of
 * {@link #alphaRows()} edges by {@link #alphaCols()} candidate operations (alpha's shape), and the
 * rule that turns softmax(alpha) into the discrete child it stands for.
 */
public interface DartsSupernet extends SharedModel {

    /** Sets what the next forwards run. */
    DartsSupernet mix(EdgeMix m);

    /** Logits (N, classes) of images (N, C, H, W) under the current mix. */
    Tensor forward(Tensor images);

    /** Rows of alpha: the edges the mix covers. */
    int alphaRows();

    /** Columns of alpha: the candidate operations of an edge, {@code none} among them. */
    int alphaCols();

    /** The child DARTS keeps from softmax(alpha) (alphaRows x alphaCols), sized like the supernet. */
    Architecture discretize(float[][] probs);

    /** A one-line form of a child for the search log. */
    String describe(Architecture child);
}
