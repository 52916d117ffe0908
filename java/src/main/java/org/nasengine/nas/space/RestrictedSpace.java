package org.nasengine.nas.space;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A space cut down to a given set of its architectures (the cells a benchmark's table holds):
 * {@link #allows} says yes exactly when some listed architecture starts with the prefix and the
 * choice, so every strategy samples, mutates and searches only among them. Decoding and encoding
 * are the base space's.
 */
public final class RestrictedSpace implements DecisionSpace {
    private final DecisionSpace base;
    private final Set<String> prefixes = new HashSet<>(); // Arrays.toString of every prefix, of every length
    private final int size;

    private RestrictedSpace(DecisionSpace base, Collection<int[]> members) {
        this.base = base;
        Set<String> distinct = new HashSet<>();
        for (int[] tokens : members) {
            base.check(tokens);
            distinct.add(Arrays.toString(tokens));
            for (int len = 1; len <= tokens.length; len++) prefixes.add(Arrays.toString(Arrays.copyOf(tokens, len)));
        }
        if (distinct.isEmpty()) throw new IllegalArgumentException("a restricted " + base.space() + " space needs at least one architecture");
        this.size = distinct.size();
    }

    /** {@code base} limited to {@code members}, or {@code base} itself when they are all of it (a space without budget masks). */
    public static DecisionSpace of(DecisionSpace base, Collection<int[]> members) {
        RestrictedSpace r = new RestrictedSpace(base, members);
        long all = 1;
        for (int c : base.tokenCardinalities()) all = Math.multiplyExact(all, c);
        return r.size == all ? base : r;
    }

    public int size() { return size; }

    @Override public String space() { return base.space(); }

    @Override public List<Decision> decisions() { return base.decisions(); }

    @Override public Architecture decode(int[] tokens) { return base.decode(tokens); }

    @Override public int[] encode(Architecture arch) { return base.encode(arch); }

    @Override
    public boolean allows(int[] tokens, int position, int choice) {
        int[] prefix = Arrays.copyOf(tokens, position + 1);
        prefix[position] = choice;
        return prefixes.contains(Arrays.toString(prefix)) && base.allows(tokens, position, choice);
    }

    @Override
    public String toString() {
        return base.space() + " space restricted to " + size + " architectures";
    }
}
