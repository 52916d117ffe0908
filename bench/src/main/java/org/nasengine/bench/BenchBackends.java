package org.nasengine.bench;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.backend.ref.JavaBackend;

/** The backends the benchmarks compare, by the names the engine uses for them (cuda: device 0, GEMM as --device picks it). */
final class BenchBackends {
    private BenchBackends() {}

    static Backend open(String name) {
        return switch (name) {
            case "java" -> new JavaBackend();
            case "cpu" -> {
                if (!NativeBackend.isAvailable())
                    throw new IllegalStateException("native backend unavailable: " + NativeBackend.unavailableReason());
                yield new NativeBackend();
            }
            case "cuda" -> Backends.open("cuda");   // IllegalStateException with the reason where unavailable
            default -> throw new IllegalArgumentException("backend '" + name + "' is not java, cpu or cuda");
        };
    }
}
