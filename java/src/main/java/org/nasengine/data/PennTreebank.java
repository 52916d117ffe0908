package org.nasengine.data;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Penn Treebank of Mikolov's language-model experiments: {@code ptb.{train,valid,test}.txt}
 * (or {@code .txt.gz}), one sentence a line. Words are split on whitespace and {@code <eos>} ends
 * every line; the vocabulary (10,000 words with {@code <eos>}) comes from the training text, most
 * frequent first, ties alphabetical. A word of the other splits missing from it reads as
 * {@code <unk>} (PTB has none such; a foreign corpus without {@code <unk>} is an error).
 */
public final class PennTreebank {
    public static final String NAME = "ptb";
    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";
    private static final List<String> FILES = List.of("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt");

    private PennTreebank() {
    }

    public static TokenDataset load(Path dir) throws IOException {
        Path trainFile = DataFiles.find(dir, "ptb.train.txt", NAME, FILES);
        Path validFile = DataFiles.find(dir, "ptb.valid.txt", NAME, FILES);
        Path testFile = DataFiles.find(dir, "ptb.test.txt", NAME, FILES);
        List<String> train = words(trainFile);
        Vocabulary vocabulary = vocabulary(train);
        return new TokenDataset(NAME, vocabulary, ids(train, vocabulary, trainFile), ids(words(validFile), vocabulary, validFile),
                ids(words(testFile), vocabulary, testFile));
    }

    /** Every word of the file, {@code <eos>} after each line. */
    static List<String> words(Path file) throws IOException {
        String text = new String(DataFiles.readAll(file), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(text.length() / 5);
        for (String line : text.split("\n", -1)) {
            for (String w : line.strip().split("\\s+")) if (!w.isEmpty()) out.add(w);
            out.add(EOS);
        }
        // the file's final newline ends the last line; it does not start another one
        if (text.endsWith("\n") || text.isEmpty()) out.removeLast();
        return out;
    }

    static Vocabulary vocabulary(List<String> words) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : words) counts.merge(w, 1, Integer::sum);
        List<String> sorted = new ArrayList<>(counts.keySet());
        sorted.sort((a, b) -> {
            int byCount = Integer.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : a.compareTo(b);
        });
        return new Vocabulary(sorted);
    }

    private static int[] ids(List<String> words, Vocabulary vocabulary, Path file) throws DatasetException {
        int unk = vocabulary.id(UNK);
        IntArrayList out = new IntArrayList(words.size());
        for (String w : words) {
            int id = vocabulary.id(w);
            if (id < 0 && unk < 0)
                throw new DatasetException(file, "word \"" + w + "\" is not in the training vocabulary, which has no " + UNK);
            out.add(id < 0 ? unk : id);
        }
        return out.toIntArray();
    }
}
