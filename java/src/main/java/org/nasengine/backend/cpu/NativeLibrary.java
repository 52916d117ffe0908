package org.nasengine.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and loads libnasengine.so once: from the system property {@value #PATH_PROPERTY} when set,
 * else from {@value #RESOURCE} on the classpath (extracted to a temp file, since dlopen needs a
 * file). Loading never throws: on failure {@link #reason()} says why in plain words
 * ("libopenblas.so.0 not found", "not on the classpath") and {@link #lookup()} is null.
 */
final class NativeLibrary {
    static final String PATH_PROPERTY = "nasengine.native.path";
    static final String RESOURCE = "/native/linux-x86_64/libnasengine.so";

    private static final SymbolLookup LOOKUP;
    private static final String REASON;
    private static final String SOURCE;
    private static final String OMP_WAIT;
    static final String WAIT_PROPERTY = "nasengine.omp.wait";

    static {
        SymbolLookup lookup = null;
        String reason = null, source = null, ompWait = "not set";
        try {
            Path file = locate();
            source = file.toString();
            ompWait = configureOpenMpWaiting();
            // System.load reports dlopen's own message (which dependency is missing), which
            // SymbolLookup.libraryLookup does not; loaderLookup then sees the loaded symbols.
            System.load(file.toAbsolutePath().toString());
            lookup = SymbolLookup.loaderLookup();
            if (lookup.find("nas_gemm").isEmpty()) {
                reason = source + " loaded but has no nas_gemm symbol (a stale or foreign library?)";
                lookup = null;
            }
        } catch (Unavailable e) {
            reason = e.getMessage();
        } catch (UnsatisfiedLinkError e) {
            reason = explain(e.getMessage());
        } catch (IOException | RuntimeException e) {
            reason = "cannot load the native library: " + e;
        }
        LOOKUP = lookup;
        REASON = reason;
        SOURCE = source;
        OMP_WAIT = ompWait;
    }

    private NativeLibrary() {}

    static boolean available() {
        return LOOKUP != null;
    }

    /** Why the library is unavailable, or null when it loaded. */
    static String reason() {
        return REASON;
    }

    /** The file the library was loaded from (a temp copy when it came from the classpath). */
    static String source() {
        return SOURCE;
    }

    static SymbolLookup lookup() {
        if (LOOKUP == null) throw new IllegalStateException("native backend unavailable: " + REASON);
        return LOOKUP;
    }

    /** What {@link #configureOpenMpWaiting} did, for diagnostics. */
    static String ompWait() {
        return OMP_WAIT;
    }

    /**
     * Makes idle OpenMP threads sleep rather than spin (OMP_WAIT_POLICY=passive) unless the user
     * chose a policy (OMP_WAIT_POLICY or GOMP_SPINCOUNT in the environment, or the property
     * {@value #WAIT_PROPERTY}=active|passive|default). libgomp's default spins for milliseconds
     * after each parallel region; on two cores shared with anything else (the JVM's GC and JIT,
     * another process) a spinning thread keeps its sibling off the core and a 20 us product
     * took 8 ms. Passive waiting costs a few microseconds per region when the cores are idle.
     * libgomp reads the variable once, when it loads, so this must run before the library loads;
     * it changes nothing if libgomp is already in the process.
     */
    private static String configureOpenMpWaiting() {
        if (System.getenv("OMP_WAIT_POLICY") != null || System.getenv("GOMP_SPINCOUNT") != null)
            return "from the environment";
        String policy = System.getProperty(WAIT_PROPERTY, "passive").trim().toLowerCase(Locale.ROOT);
        if (policy.equals("default")) return "libgomp default";
        if (!policy.equals("passive") && !policy.equals("active"))
            return "ignored " + WAIT_PROPERTY + "=" + policy + " (expected active, passive or default)";
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
        if (setenv.isEmpty()) return "libgomp default (no setenv in libc)";
        MethodHandle h = linker.downcallHandle(setenv.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) h.invokeExact(arena.allocateFrom("OMP_WAIT_POLICY"), arena.allocateFrom(policy), 0);
            return rc == 0 ? policy : "libgomp default (setenv failed)";
        } catch (Throwable t) {
            return "libgomp default (" + t + ")";
        }
    }

    private static Path locate() throws IOException, Unavailable {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) throw new Unavailable(PATH_PROPERTY + "=" + explicit + " is not a file");
            return p;
        }
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            throw new Unavailable("the native library is built for linux-x86_64 only, this is " + os + "/" + arch);
        // the library is compiled with -mavx2 -mfma: on an older CPU it would die of SIGILL, not fail to load
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            String flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            if (!flags.isEmpty() && !(flags.contains(" avx2") && flags.contains(" fma")))
                throw new Unavailable("this CPU lacks AVX2/FMA, which libnasengine.so is compiled for");
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new Unavailable("libnasengine.so is not on the classpath (" + RESOURCE
                        + "): build it with mvn package, or point -D" + PATH_PROPERTY + " at it");
            Path tmp = Files.createTempFile("libnasengine", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    private static final Pattern MISSING = Pattern.compile("([^\\s:]+): cannot open shared object file");

    /** "libopenblas.so.0 not found (...)" from dlopen's message, else the message itself. */
    static String explain(String message) {
        if (message == null) return "cannot load the native library";
        Matcher m = MISSING.matcher(message);
        String last = null;
        while (m.find()) last = m.group(1);
        if (last != null && !last.contains("libnasengine"))
            return last + " not found (install it, e.g. apt-get install libopenblas0 libgomp1): " + message;
        return "cannot load the native library: " + message;
    }

    private static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }
}
