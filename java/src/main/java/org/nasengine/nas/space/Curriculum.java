package org.nasengine.nas.space;

/**
 * Zoph and Le's layer-count curriculum: start at {@code start} layers and add {@code step} every
 * {@code every} sampled architectures, up to {@code max}.
 */
public record Curriculum(int start, int step, int every, int max) {
    public Curriculum {
        if (start < 1 || max < start) throw new IllegalArgumentException("curriculum needs 1 <= start (" + start + ") <= max (" + max + ")");
        if (step < 0 || every < 1) throw new IllegalArgumentException("curriculum step (" + step + ") must be >= 0 and every (" + every + ") >= 1");
    }

    public int layersAt(int sampled) {
        long grown = (long) start + (long) step * (sampled / every);
        return (int) Math.min(max, grown);
    }
}
