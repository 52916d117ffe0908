package org.nasengine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Backends finds its providers through the ServiceLoader and names none of them itself. */
class BackendsTest {

    @Test
    void everyBackendIsFoundReferenceFirst() {
        List<String> names = Backends.survey().stream().map(Backends.Availability::name).toList();
        assertEquals(List.of("java", "cpu", "cuda"), names);
        assertTrue(Backends.survey().getFirst().available(), "the reference is always available");
    }

    @Test
    void opensByNameAndRefusesUnknownDevices() {
        try (Backend be = Backends.open(" Java ")) {
            assertEquals("java", be.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu"));
        assertEquals("device 'tpu' is not one of java, cpu, cuda, cuda:N, auto", e.getMessage());
        IllegalArgumentException index = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda:x"));
        assertTrue(index.getMessage().contains("the GPU index must be a number >= 0"), index.getMessage());
    }

    @Test
    void autoOpensTheMostPreferredAvailableBackend() {
        String expected = Backends.survey().reversed().stream().filter(Backends.Availability::available).findFirst()
                .orElseThrow().name();
        try (Backend be = Backends.open("auto")) {
            assertEquals(expected, be.name());
        }
    }

    @Test
    void theBackendPackageImportsNoImplementation() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/java/org/nasengine/backend");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String sub : List.of("ref", "cpu", "cuda"))
                    assertFalse(text.contains("import org.nasengine.backend." + sub + "."),
                            f.getFileName() + " imports the " + sub + " backend: providers are found through META-INF/services");
            }
        }
    }
}
