package org.nasengine.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Words and their ids (the position in {@link #words()}). */
public final class Vocabulary {
    private final List<String> words;
    private final Map<String, Integer> ids;

    public Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.ids = new HashMap<>(words.size() * 2);
        for (int i = 0; i < this.words.size(); i++) {
            if (ids.put(this.words.get(i), i) != null)
                throw new IllegalArgumentException("word \"" + this.words.get(i) + "\" appears twice in the vocabulary");
        }
    }

    public int size() {
        return words.size();
    }

    /** The id of {@code word}, or -1 if it is not in the vocabulary. */
    public int id(String word) {
        return ids.getOrDefault(word, -1);
    }

    public String word(int id) {
        return words.get(id);
    }

    public List<String> words() {
        return words;
    }
}
