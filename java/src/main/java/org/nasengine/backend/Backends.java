package org.nasengine.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.backend.cuda.CudaBackend;
import org.nasengine.backend.cuda.GemmPath;
import org.nasengine.backend.ref.JavaBackend;

/** Chooses a backend by name: {@code java}, {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}. */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static volatile boolean nativeFallbackReported;

    private Backends() {}

    /** One line per backend: whether it loaded and, if not, why. */
    public record Availability(String name, boolean available, String detail) {}

    public static List<Availability> survey() {
        List<Availability> out = new ArrayList<>();
        out.add(new Availability("java", true, "pure-Java reference (double precision, plain loops)"));
        out.add(NativeBackend.isAvailable()
                ? new Availability("cpu", true, "native C library; BLAS: " + NativeBackend.blasInfo() + "; threads " + NativeBackend.threads())
                : new Availability("cpu", false, NativeBackend.unavailableReason()));
        out.add(CudaBackend.isAvailable()
                ? new Availability("cuda", true, describeCuda())
                : new Availability("cuda", false, CudaBackend.unavailableReason()));
        return out;
    }

    /**
     * Opens the named backend. {@code auto} prefers CUDA, then the native CPU library, then the
     * Java reference; when the native library cannot load, that is said once and Java is used.
     */
    public static Backend open(String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase();
        if (d.equals("java")) return new JavaBackend();
        if (d.equals("cpu")) return require("cpu", NativeBackend.isAvailable(), NativeBackend::unavailableReason, NativeBackend::new);
        if (d.equals("cuda") || d.startsWith("cuda:")) {
            int ordinal = d.equals("cuda") ? 0 : parseOrdinal(d);
            return require(d, CudaBackend.isAvailable(), CudaBackend::unavailableReason, () -> new CudaBackend(ordinal, GemmPath.AUTO));
        }
        if (d.equals("auto")) {
            if (CudaBackend.isAvailable()) return new CudaBackend(0, GemmPath.AUTO);
            if (NativeBackend.isAvailable()) return new NativeBackend();
            if (!nativeFallbackReported) {
                nativeFallbackReported = true;
                LOG.warning("native CPU backend unavailable (" + NativeBackend.unavailableReason()
                        + "); running on the pure-Java backend, which is much slower");
            }
            return new JavaBackend();
        }
        throw new IllegalArgumentException("device '" + device + "' is not one of java, cpu, cuda, cuda:N, auto");
    }

    private static String describeCuda() {
        try (CudaBackend b = new CudaBackend(0, GemmPath.AUTO)) {
            String cublas = CudaBackend.cublasUnavailableReason();
            return b.deviceDescription() + "; kernels loaded from the jar; GEMM " + b.gemmPath()
                    + (cublas == null ? "" : " (" + cublas + ")");
        } catch (RuntimeException e) {
            return "found but failed to open: " + e.getMessage();
        }
    }

    private static Backend require(String name, boolean available, Supplier<String> why, Supplier<Backend> make) {
        if (!available) throw new IllegalStateException("backend " + name + " is unavailable: " + why.get());
        return make.get();
    }

    private static int parseOrdinal(String d) {
        try {
            int n = Integer.parseInt(d.substring("cuda:".length()));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device '" + d + "': the GPU index must be a number >= 0");
        }
    }
}
