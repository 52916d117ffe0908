package org.nasengine.nas.space;

/** One step of the token sequence that describes an architecture. */
public sealed interface Decision {
    /** How many tokens this decision emits. */
    int tokens();

    /** A categorical choice; decisions of the same kind share the controller's softmax head. */
    record Choice(String kind, int choices) implements Decision {
        public Choice {
            if (choices < 1) throw new IllegalArgumentException(kind + ": choices (" + choices + ") must be >= 1");
        }
        @Override public int tokens() { return 1; }
    }

    /**
     * The anchor point of macro layer {@code layer}: one binary token per earlier layer j (1 = j
     * feeds this layer), each decided by a content-based sigmoid over the anchors' hidden states.
     */
    record Anchors(int layer) implements Decision {
        @Override public int tokens() { return layer; }
    }
}
