package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java side's view of the kernels (Kernel signatures, CudaStructs sizes) against the CUDA
 * sources in kernels/: a launch with a mismatched argument would read garbage on the device, and
 * that must fail here, on any machine, rather than on a GPU.
 */
class KernelSignatureTest {
    private static final Pattern KERNEL = Pattern.compile(
            "KERNEL\\s+void\\s+(?:__launch_bounds__\\(\\d+\\)\\s+)?(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern STRUCT_SIZE = Pattern.compile("static_assert\\(sizeof\\((\\w+)\\) == (\\d+)");

    /** kernel symbol -> signature letters, from the .cu files. */
    private static final Map<String, String> declared = new TreeMap<>();
    /** kernel symbol -> its parameter list as written. */
    private static final Map<String, String> parameters = new HashMap<>();
    private static final Map<String, Integer> structSizes = new HashMap<>();
    private static String joinSource;

    @BeforeAll
    static void parseSources() throws IOException {
        Path dir = kernelsDir();
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).sorted().toList();
        }
        assertTrue(sources.size() >= 10, "expected the kernel sources in " + dir + ", found " + sources);
        for (Path p : sources) {
            String text = Files.readString(p);
            if (p.getFileName().toString().equals("join.cu")) joinSource = text;
            Matcher s = STRUCT_SIZE.matcher(text);
            while (s.find()) structSizes.put(s.group(1), Integer.parseInt(s.group(2)));
            Matcher k = KERNEL.matcher(text);
            while (k.find()) {
                parameters.put(k.group(1), k.group(2));
                String previous = declared.put(k.group(1), signature(k.group(1), k.group(2)));
                if (previous != null) fail("kernel " + k.group(1) + " declared twice (again in " + p + ")");
            }
        }
    }

    /** kernels/ beside java/: surefire runs in java/, an IDE perhaps in the repository root. */
    private static Path kernelsDir() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        for (Path candidate : new Path[] {base.resolve("../kernels"), base.resolve("kernels")})
            if (Files.isDirectory(candidate)) return candidate.normalize();
        throw new IllegalStateException("kernels/ not found beside " + base.toAbsolutePath());
    }

    /** i, l, f, p, s per parameter, the letters Kernel uses. */
    private static String signature(String kernel, String params) {
        StringBuilder sig = new StringBuilder();
        for (String raw : params.split(",")) {
            String p = raw.replace("__restrict__", "").replace("const", "").trim().replaceAll("\\s+", " ");
            if (p.contains("*")) {
                sig.append('p');
                continue;
            }
            String type = p.substring(0, p.lastIndexOf(' ')).trim();
            switch (type) {
                case "int" -> sig.append('i');
                case "long long", "unsigned long long" -> sig.append('l');
                case "float" -> sig.append('f');
                default -> {
                    if (!structSizes.containsKey(type) && !type.endsWith("Args") && !type.equals("Bcast"))
                        fail(kernel + ": parameter type '" + type + "' has no signature letter");
                    sig.append('s');
                }
            }
        }
        return sig.toString();
    }

    @Test
    void everyJavaKernelMatchesItsCudaDeclaration() {
        List<String> wrong = new ArrayList<>();
        for (Kernel k : Kernel.values()) {
            String c = declared.get(k.symbol);
            String java = new String(k.signature);
            if (c == null) wrong.add(k.symbol + ": not declared in kernels/*.cu");
            else if (!c.equals(java)) wrong.add(k.symbol + ": Java '" + java + "', CUDA '" + c + "'");
        }
        assertTrue(wrong.isEmpty(), "kernel signatures disagree:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void everyCudaKernelIsLaunchable() {
        List<String> unused = new ArrayList<>(declared.keySet());
        for (Kernel k : Kernel.values()) unused.remove(k.symbol);
        assertTrue(unused.isEmpty(), "kernels with no Kernel constant (dead code?): " + unused);
    }

    @Test
    void theEmulatorRegistersEveryKernel() throws IOException {
        String emulator = Files.readString(kernelsDir().resolve("test/emulator.cpp"));
        Matcher m = Pattern.compile("ENTRY\\((\\w+)\\)").matcher(emulator);
        List<String> registered = new ArrayList<>();
        while (m.find()) registered.add(m.group(1));
        registered.remove("name");   // the macro's own definition
        assertEquals(new java.util.TreeSet<>(declared.keySet()), new java.util.TreeSet<>(registered),
                "kernels/test/emulator.cpp must register exactly the declared kernels");
    }

    @Test
    void structSizesAgreeWithTheirJavaImages() {
        assertEquals(Map.of("Bcast", CudaStructs.BCAST_BYTES, "PoolArgs", CudaStructs.POOL_BYTES,
                "BnArgs", CudaStructs.BN_BYTES, "ConvArgs", CudaStructs.CONV_BYTES,
                "GemmArgs", CudaStructs.GEMM_BYTES, "JoinArgs", CudaStructs.JOIN_BYTES), structSizes);
        assertTrue(joinSource.contains("#define JOIN_MAX " + CudaStructs.JOIN_MAX),
                "JOIN_MAX in join.cu must be CudaStructs.JOIN_MAX (" + CudaStructs.JOIN_MAX + ")");
    }

    @Test
    void pointersTheContractLetAliasAreNotRestrict() {
        // package-info and the reference: logSoftmax's x and y, softmaxCrossEntropy's logits and probs may be one buffer
        Map<String, List<String>> mayAlias = Map.of("log_softmax_fwd", List.of("x", "y"),
                "softmax_xent_fwd", List.of("logits", "probs"));
        List<String> wrong = new ArrayList<>();
        mayAlias.forEach((kernel, names) -> {
            for (String param : parameters.get(kernel).split(","))
                for (String name : names)
                    if (param.trim().endsWith(" " + name) && param.contains("__restrict__"))
                        wrong.add(kernel + ": " + param.trim());
        });
        assertTrue(wrong.isEmpty(), "__restrict__ on pointers that may alias: " + wrong);
    }
}
