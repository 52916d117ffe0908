package org.nasengine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nasengine.backend.DeviceOutOfMemoryException;

/**
 * The driver operations on the host emulator of our kernels (kernels/test/emulator.cpp, built by
 * CMake next to the fatbin into target/cmake/kernels): "device" memory is host memory, launches
 * run the real kernel code with fibers for CUDA threads. With it the whole CudaBackend, Java
 * orchestration and kernels together, runs the conformance suite on a machine without a GPU.
 */
final class EmulatedDevice implements DeviceApi {
    static final String LIBRARY = "libnasengine_kernels_emu.so";
    /** Small, so that grids stay small (emulated blocks cost their thread count each) yet span several blocks. */
    private static final int EMULATED_SMS = 4;

    private final Arena arena = Arena.ofShared();
    private final MethodHandle alloc, free, memset32, launch, error;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.nativeOrder());
    private boolean closed;

    /** Where the build put the emulator: -Dnasengine.kernelEmulator, else target/cmake/kernels beside this module. */
    static Path libraryPath() {
        String configured = System.getProperty("nasengine.kernelEmulator");
        if (configured != null) return Path.of(configured);
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        for (Path p : new Path[] {base.resolve("target/cmake/kernels/" + LIBRARY), base.resolve("java/target/cmake/kernels/" + LIBRARY)})
            if (Files.exists(p)) return p;
        return base.resolve("target/cmake/kernels/" + LIBRARY);
    }

    /** Null when the emulator library exists, else why the emulated tests skip. */
    static String unavailableReason() {
        Path p = libraryPath();
        return Files.isRegularFile(p) ? null
                : "kernel emulator not built (" + p + " missing: the CMake build found no nvcc, so kernels/ was skipped)";
    }

    EmulatedDevice() {
        SymbolLookup lib = SymbolLookup.libraryLookup(libraryPath(), arena);
        Linker linker = Linker.nativeLinker();
        alloc = linker.downcallHandle(lib.findOrThrow("emu_alloc"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        free = linker.downcallHandle(lib.findOrThrow("emu_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        memset32 = linker.downcallHandle(lib.findOrThrow("emu_memset32"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        launch = linker.downcallHandle(lib.findOrThrow("emu_launch"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        error = linker.downcallHandle(lib.findOrThrow("emu_error"), FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private static MemorySegment at(DevicePtr p, long bytes) {
        return MemorySegment.ofAddress(p.address()).reinterpret(bytes);
    }

    @Override
    public String describe() {
        return "the host emulator of the CUDA kernels";
    }

    @Override
    public int smCount() {
        return EMULATED_SMS;
    }

    @Override
    public void makeCurrent() {
        if (closed) throw new IllegalStateException("the emulated cuda device is closed");
    }

    @Override
    public DevicePtr alloc(long bytes) {
        try {
            MemorySegment p = (MemorySegment) alloc.invokeExact(bytes);
            if (p.address() == 0) throw new DeviceOutOfMemoryException("emulated device: " + bytes + " bytes");
            return DevicePtr.ofAddress(p.address());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void free(DevicePtr p) {
        try {
            free.invokeExact(MemorySegment.ofAddress(p.address()));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void memsetD32(DevicePtr p, int value, long count) {
        try {
            memset32.invokeExact(MemorySegment.ofAddress(p.address()), value, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copy(DevicePtr dst, DevicePtr src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public ByteBuffer staging() {
        return staging;
    }

    @Override
    public void awaitStaging() {}

    @Override
    public void upload(DevicePtr dst, long bytes) {
        MemorySegment.copy(MemorySegment.ofBuffer(staging), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void download(DevicePtr src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, MemorySegment.ofBuffer(staging), 0, bytes);
    }

    /** Marshals the arguments as cuLaunchKernel takes them: an array of pointers to each value. */
    @Override
    public void launch(Kernel k, int gridX, int gridY, int gridZ, int block, Object... args) {
        k.check(args);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment params = call.allocate(ValueLayout.ADDRESS, Math.max(1, args.length));
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                MemorySegment value = switch (k.signature[i]) {
                    case 'i' -> call.allocateFrom(ValueLayout.JAVA_INT, (Integer) a);
                    case 'l' -> call.allocateFrom(ValueLayout.JAVA_LONG, (Long) a);
                    case 'f' -> call.allocateFrom(ValueLayout.JAVA_FLOAT, (Float) a);
                    case 's' -> call.allocate(((byte[]) a).length, 8).copyFrom(MemorySegment.ofArray((byte[]) a));
                    default -> call.allocateFrom(ValueLayout.JAVA_LONG, a == null ? 0L
                            : a instanceof CudaBuffer b ? b.ptr.address() : ((DevicePtr) a).address());
                };
                params.setAtIndex(ValueLayout.ADDRESS, i, value);
            }
            int rc = (int) launch.invokeExact(call.allocateFrom(k.symbol), gridX, gridY, gridZ, block, params);
            if (rc != 0) {
                MemorySegment message = (MemorySegment) error.invokeExact();
                throw new IllegalStateException("emulated " + k.symbol + " (grid " + gridX + "x" + gridY + "x" + gridZ
                        + ", block " + block + "): " + message.reinterpret(4096).getString(0));
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void synchronize() {}

    @Override
    public void close() {
        closed = true;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
