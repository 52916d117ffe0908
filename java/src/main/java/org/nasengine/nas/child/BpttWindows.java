package org.nasengine.nas.child;

/**
 * A token stream cut for truncated backpropagation through time: split into {@code batch}
 * contiguous rows of {@code length / batch} tokens (the tail that does not fill a row dropped),
 * then read left to right in windows of at most {@code bptt} steps. Row n of window w continues
 * row n of window w - 1, which is why the recurrent state carries over between windows.
 */
public final class BpttWindows {
    private final int[] rows; // (batch, rowLength), row-major
    private final int batch, rowLength, bptt;

    /** One window: inputs and next-token targets, each (batch, steps) row-major. */
    public record Window(int[] inputs, int[] targets, int steps) {}

    public BpttWindows(int[] stream, int batch, int bptt) {
        if (batch <= 0) throw new IllegalArgumentException("batch (" + batch + ") must be > 0");
        if (bptt <= 0) throw new IllegalArgumentException("bptt (" + bptt + ") must be > 0");
        this.batch = batch;
        this.bptt = bptt;
        this.rowLength = stream.length / batch;
        if (rowLength < 2)
            throw new IllegalArgumentException(stream.length + " tokens are too few for " + batch
                    + " rows of at least 2 (an input and its target)");
        this.rows = new int[batch * rowLength];
        System.arraycopy(stream, 0, rows, 0, rows.length);
    }

    /** Windows per pass: every token but each row's last is an input once. */
    public int count() {
        return (rowLength - 1 + bptt - 1) / bptt;
    }

    /** Tokens predicted per pass: batch * (rowLength - 1). */
    public long targets() {
        return (long) batch * (rowLength - 1);
    }

    public int batch() {
        return batch;
    }

    /** Window i: steps min(bptt, what is left); the last one may be shorter. */
    public Window window(int i) {
        if (i < 0 || i >= count()) throw new IndexOutOfBoundsException("window " + i + " of " + count());
        int start = i * bptt, steps = Math.min(bptt, rowLength - 1 - start);
        int[] inputs = new int[batch * steps], targets = new int[batch * steps];
        for (int n = 0; n < batch; n++) {
            System.arraycopy(rows, n * rowLength + start, inputs, n * steps, steps);
            System.arraycopy(rows, n * rowLength + start + 1, targets, n * steps, steps);
        }
        return new Window(inputs, targets, steps);
    }
}
