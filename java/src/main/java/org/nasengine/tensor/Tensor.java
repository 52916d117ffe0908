package org.nasengine.tensor;

import java.util.Arrays;
import org.nasengine.autograd.Activations;
import org.nasengine.autograd.Arithmetic;
import org.nasengine.autograd.LogSoftmax;
import org.nasengine.autograd.MatMul;
import org.nasengine.autograd.Reductions;
import org.nasengine.autograd.Reshape;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;

/**
 * A dense tensor whose contiguous storage lives in one backend's buffer. A tensor created while a
 * {@link Scope} is open belongs to it; otherwise (parameters, long-lived state) its owner closes it.
 * The gradient buffer is allocated (zeroed) on first use and accumulates.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final int[] shape;
    private final DType dtype;
    private final long size;
    private Buffer data;
    private Buffer grad;
    private boolean requiresGrad;

    private Tensor(Backend backend, DType dtype, int[] shape) {
        this(backend, dtype, shape, true);
    }

    private Tensor(Backend backend, DType dtype, int[] shape, boolean scoped) {
        for (int d : shape)
            if (d <= 0) throw new IllegalArgumentException("tensor dimensions must be > 0: " + Arrays.toString(shape));
        this.backend = backend;
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) n *= d;
        this.size = n;
        this.data = backend.allocate(n);
        if (scoped) Scope.adopt(this);
    }

    /** Zero-filled float tensor. */
    public static Tensor zeros(Backend backend, int... shape) {
        return new Tensor(backend, DType.FLOAT32, shape);
    }

    public static Tensor of(Backend backend, float[] values, int... shape) {
        Tensor t = new Tensor(backend, DType.FLOAT32, shape);
        if (values.length != t.size)
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        backend.write(values, t.data, 0);
        return t;
    }

    public static Tensor ints(Backend backend, int[] values, int... shape) {
        Tensor t = new Tensor(backend, DType.INT32, shape);
        if (values.length != t.size)
            throw new IllegalArgumentException(values.length + " ids for shape " + Arrays.toString(shape));
        backend.writeInts(values, t.data, 0);
        return t;
    }

    public static Tensor scalar(Backend backend, float value) {
        return of(backend, new float[] {value}, 1);
    }

    /** A trainable parameter: needs a gradient and belongs to no scope, even when one is open. */
    public static Tensor parameter(Backend backend, float[] values, int... shape) {
        Tensor t = persistent(backend, values, shape);
        t.requiresGrad = true;
        return t;
    }

    /** Long-lived state without a gradient (running statistics): belongs to no scope; its owner closes it. */
    public static Tensor persistent(Backend backend, float[] values, int... shape) {
        Tensor t = new Tensor(backend, DType.FLOAT32, shape, false);
        if (values.length != t.size) {
            t.close();
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        backend.write(values, t.data, 0);
        return t;
    }

    public Backend backend() { return backend; }
    public int[] shape() { return shape.clone(); }
    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }
    public int rank() { return shape.length; }
    public long size() { return size; }
    public DType dtype() { return dtype; }
    public boolean requiresGrad() { return requiresGrad; }

    public Tensor requireGrad() {
        if (dtype != DType.FLOAT32) throw new IllegalStateException("int tensors take no gradient");
        requiresGrad = true;
        return this;
    }

    public Buffer data() {
        if (data == null) throw new IllegalStateException("tensor " + Arrays.toString(shape) + " used after close");
        return data;
    }

    /** The gradient buffer, or null if nothing has flowed into it yet. */
    public Buffer gradOrNull() { return grad; }

    /** The gradient buffer, allocated zero-filled on first use. */
    public Buffer grad() {
        if (grad == null) grad = backend.allocate(size);
        return grad;
    }

    public void zeroGrad() {
        if (grad != null) backend.fill(grad, 0, size, 0f);
    }

    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size)];
        backend.read(data(), 0, out);
        return out;
    }

    public float[] gradToArray() {
        float[] out = new float[Math.toIntExact(size)];
        if (grad != null) backend.read(grad, 0, out);
        return out;
    }

    public float item() {
        if (size != 1) throw new IllegalStateException("item() of a tensor of shape " + Arrays.toString(shape));
        return toArray()[0];
    }

    /** Overwrites the values (same size). */
    public void set(float[] values) {
        if (values.length != size)
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        backend.write(values, data(), 0);
    }

    /** Runs the tape from this scalar: d(this)/d(this) = 1, gradients accumulate into every input. */
    public void backward() {
        if (size != 1) throw new IllegalStateException("backward() needs a scalar, got " + Arrays.toString(shape));
        backend.fill(grad(), 0, 1, 1f);
        Tape.current().runBackward();
    }

    /** A tensor sharing nothing with this one: same shape, copied values, no gradient. */
    public Tensor copy() {
        Tensor t = new Tensor(backend, dtype, shape);
        backend.copy(data(), 0, t.data, 0, size);
        return t;
    }

    @Override
    public void close() {
        if (data != null) backend.release(data);
        if (grad != null) backend.release(grad);
        data = null;
        grad = null;
    }

    /** Output of an op: zero-filled, needing a gradient when any input does and the tape records. */
    public static Tensor output(Backend backend, boolean requiresGrad, int... shape) {
        Tensor t = new Tensor(backend, DType.FLOAT32, shape);
        t.requiresGrad = requiresGrad;
        return t;
    }

    // ---- the rich API: each delegates to the op in org.nasengine.autograd ----

    /** Broadcasting elementwise arithmetic (numpy rules, rank up to 4). */
    public Tensor add(Tensor other) { return Arithmetic.add(this, other); }
    public Tensor sub(Tensor other) { return Arithmetic.sub(this, other); }
    public Tensor mul(Tensor other) { return Arithmetic.mul(this, other); }
    public Tensor div(Tensor other) { return Arithmetic.div(this, other); }
    public Tensor scale(float factor) { return Arithmetic.scale(this, factor); }

    /** (M, K) x (K, N), (B, M, K) x (B, K, N) or (B, M, K) x (K, N). */
    public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }

    public Tensor relu() { return Activations.relu(this); }
    public Tensor tanh() { return Activations.tanh(this); }
    public Tensor sigmoid() { return Activations.sigmoid(this); }
    public Tensor exp() { return Activations.exp(this); }
    public Tensor log() { return Activations.log(this); }
    public Tensor neg() { return Activations.neg(this); }
    public Tensor square() { return Activations.square(this); }
    public Tensor logSigmoid() { return Activations.logSigmoid(this); }
    /** Log-softmax over the last axis. */
    public Tensor logSoftmax() { return LogSoftmax.logSoftmax(this); }

    /** Sum of every value, shape (1). */
    public Tensor sum() { return Reductions.sum(this); }
    /** Mean of every value, shape (1). */
    public Tensor mean() { return Reductions.mean(this); }
    /** Sum along axes (negative counts from the end), the reduced axes dropped. */
    public Tensor sum(int... axes) { return Reductions.sum(this, false, axes); }
    public Tensor mean(int... axes) { return Reductions.mean(this, false, axes); }

    /** Same values in a new shape (one dimension may be -1); copies. */
    public Tensor reshape(int... newShape) { return Reshape.reshape(this, newShape); }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (dtype == DType.INT32 ? " int32" : "") + " on " + backend.name();
    }
}
