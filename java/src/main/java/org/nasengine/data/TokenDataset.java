package org.nasengine.data;

/**
 * A language-modelling corpus: three streams of word ids over one vocabulary (built from the
 * training text). Each stream is the whole split, sentences run together with an end marker.
 *
 * @param train      (train tokens) word ids
 * @param validation (validation tokens) word ids
 * @param test       (test tokens) word ids
 */
public record TokenDataset(String name, Vocabulary vocabulary, int[] train, int[] validation, int[] test)
        implements Dataset {

    public TokenDataset {
        check("train", train, vocabulary);
        check("validation", validation, vocabulary);
        check("test", test, vocabulary);
    }

    private static void check(String split, int[] ids, Vocabulary vocabulary) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabulary.size())
                throw new IllegalArgumentException(split + " token " + i + " (" + ids[i] + ") must be in 0.." + (vocabulary.size() - 1));
        }
    }
}
