package org.nasengine.nas.space;

/**
 * One architecture in one of the five forms of spec/architectures.md. Every value is immutable
 * and valid by construction (constructors check every rule of the spec), so a builder never
 * sees a description that the codec would reject.
 */
public sealed interface Architecture permits MacroCnn, NasNet, RnnCell, Nb201, Lstm {

    /** The {@code space} field of the JSON form: macro-cnn, nasnet, rnn-cell, nb201 or lstm. */
    String space();

    /**
     * A key equal for identical architectures and different otherwise: the compact JSON with
     * every optional field written out, so {@code {"repeats": 2}} and its absence agree.
     * Used to de-duplicate sampled children.
     */
    default String key() {
        return ArchitectureCodec.toCompactJson(this);
    }
}
