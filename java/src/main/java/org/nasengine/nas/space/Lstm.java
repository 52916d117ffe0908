package org.nasengine.nas.space;

/**
 * The {@code lstm} form: the plain LSTM language model, the baseline recurrent cells must beat.
 * The same language model as {@code rnn-cell} (embedding of size {@code hidden}, {@code layers}
 * LSTM layers, dropout, softmax over the vocabulary); hidden 200 is Zaremba et al.'s "small".
 */
public record Lstm(int layers, int hidden) implements Architecture {
    public static final String SPACE = "lstm";

    public Lstm {
        if (layers < 1 || layers > 8) throw new ArchitectureException("layers", layers + " must be 1..8");
        if (hidden < 1 || hidden > 8192) throw new ArchitectureException("hidden", hidden + " must be 1..8192");
    }

    @Override
    public String space() {
        return SPACE;
    }
}
