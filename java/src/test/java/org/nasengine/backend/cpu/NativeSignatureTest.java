package org.nasengine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FFM's view of the native library ({@link NativeFunction}'s descriptors) against the
 * prototypes in native/include/nasengine.h: a downcall with a mismatched argument would pass
 * garbage to C, or crash, and that must fail here, on any machine, with or without the library.
 * The way KernelSignatureTest checks the CUDA launches against kernels/*.cu.
 */
class NativeSignatureTest {
    private static final Pattern PROTOTYPE = Pattern.compile("NAS_API\\s+([\\w\\s*]+?)\\s*\\b(nas_\\w+)\\s*\\(([^)]*)\\)\\s*;");

    /** symbol -> "ret(args)" in the letters of NativeFunction, from the header. */
    private static final Map<String, String> declared = new TreeMap<>();

    @BeforeAll
    static void parseHeader() throws IOException {
        Path header = headerFile();
        Matcher m = PROTOTYPE.matcher(Files.readString(header));
        while (m.find()) {
            String previous = declared.put(m.group(2), letter(m.group(2), m.group(1)) + "(" + parameters(m.group(2), m.group(3)) + ")");
            if (previous != null) fail(m.group(2) + " declared twice in " + header);
        }
        assertTrue(declared.size() >= 30, "expected the prototypes of " + header + ", found " + declared.keySet());
    }

    /** native/include beside java/: surefire runs in java/, an IDE perhaps in the repository root. */
    private static Path headerFile() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        for (Path candidate : new Path[] {base.resolve("../native/include/nasengine.h"), base.resolve("native/include/nasengine.h")})
            if (Files.isRegularFile(candidate)) return candidate.normalize();
        throw new IllegalStateException("native/include/nasengine.h not found beside " + base.toAbsolutePath());
    }

    private static String parameters(String function, String list) {
        String trimmed = list.trim();
        if (trimmed.isEmpty() || trimmed.equals("void")) return "";
        StringBuilder sig = new StringBuilder();
        for (String raw : trimmed.split(",")) {
            String p = raw.trim().replaceAll("\\s+", " ");
            sig.append(p.contains("*") ? "p" : letter(function, p.substring(0, p.lastIndexOf(' '))));
        }
        return sig.toString();
    }

    /** A C type (without a parameter name) as a letter. */
    private static String letter(String function, String cType) {
        String type = cType.replace("const", "").trim().replaceAll("\\s+", " ");
        if (type.contains("*")) return "p";
        return switch (type) {
            case "void" -> "v";
            case "int", "int32_t" -> "i";
            case "int64_t" -> "l";
            case "float" -> "f";
            default -> throw new AssertionError(function + ": C type '" + type + "' has no signature letter");
        };
    }

    /** What the FFM will pass, read back from the descriptor the downcall is linked with. */
    private static String javaSignature(NativeFunction f) {
        StringBuilder sig = new StringBuilder();
        sig.append(f.descriptor.returnLayout().map(NativeSignatureTest::letter).orElse("v")).append('(');
        for (MemoryLayout arg : f.descriptor.argumentLayouts()) sig.append(letter(arg));
        return sig.append(')').toString();
    }

    private static String letter(MemoryLayout layout) {
        Class<?> carrier = ((ValueLayout) layout).carrier();
        if (carrier == int.class) return "i";
        if (carrier == long.class) return "l";
        if (carrier == float.class) return "f";
        if (carrier == MemorySegment.class) return "p";
        throw new AssertionError("layout " + layout + " has no signature letter");
    }

    @Test
    void everyDowncallMatchesItsPrototype() {
        List<String> wrong = new ArrayList<>();
        for (NativeFunction f : NativeFunction.values()) {
            String c = declared.get(f.symbol), java = javaSignature(f);
            if (c == null) wrong.add(f + ": " + f.symbol + " is not declared in nasengine.h");
            else if (!c.equals(java)) wrong.add(f + ": Java " + java + ", C " + c + " (" + f.symbol + ")");
        }
        assertTrue(wrong.isEmpty(), "downcall signatures disagree with nasengine.h:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void everyPrototypeHasADowncall() {
        TreeSet<String> bound = new TreeSet<>();
        for (NativeFunction f : NativeFunction.values()) bound.add(f.symbol);
        assertEquals(declared.keySet(), bound, "nasengine.h functions and NativeFunction entries must be the same set");
    }

    @Test
    void theParserReadsTheShapesTheHeaderUses() {
        // a check of the check: one prototype of each kind, spelled out
        assertEquals("i(iiiiifppfpilll)", declared.get("nas_gemm"));
        assertEquals("i()", declared.get("nas_get_threads"));
        assertEquals("v(p)", declared.get("nas_free"));
        assertEquals("i(iilppp)", declared.get("nas_gather_rows"));   // const float *, const int32_t *
        assertEquals("i(p)", declared.get("nas_workspace_create"));    // nas_workspace **
    }
}
