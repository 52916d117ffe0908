package org.nasengine.data;

import java.util.List;

/**
 * A language-modelling corpus: three streams of word ids over one vocabulary (built from the
 * training text). Each stream is the whole split, sentences run together with an end marker.
 *
 * @param train      (train tokens) word ids
 * @param validation (validation tokens) word ids
 * @param test       (test tokens) word ids
 * @param sources    where each split came from, in the order train, validation, test (file names
 *                   for a corpus read from disk), for messages that must name the file at fault
 */
public record TokenDataset(String name, Vocabulary vocabulary, int[] train, int[] validation, int[] test, List<String> sources)
        implements Dataset {

    /** The three splits, by the names {@link #source} takes. */
    public enum Split { TRAIN, VALIDATION, TEST }

    public TokenDataset {
        check("train", train, vocabulary);
        check("validation", validation, vocabulary);
        check("test", test, vocabulary);
        sources = List.copyOf(sources);
        if (sources.size() != 3) throw new IllegalArgumentException(sources.size() + " sources for 3 splits: " + sources);
    }

    /** A corpus made in memory: its sources are named after the splits. */
    public TokenDataset(String name, Vocabulary vocabulary, int[] train, int[] validation, int[] test) {
        this(name, vocabulary, train, validation, test, List.of(name + " train split", name + " validation split", name + " test split"));
    }

    /** The file (or description) the split was read from. */
    public String source(Split split) {
        return sources.get(split.ordinal());
    }

    private static void check(String split, int[] ids, Vocabulary vocabulary) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabulary.size())
                throw new IllegalArgumentException(split + " token " + i + " (" + ids[i] + ") must be in 0.." + (vocabulary.size() - 1));
        }
    }
}
