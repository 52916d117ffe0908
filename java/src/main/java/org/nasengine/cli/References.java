package org.nasengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nasengine.backend.Backend;
import org.nasengine.nas.search.AtomicFiles;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.search.SearchReport.ReferencePoint;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Cost;

/**
 * The hand-written architectures a search is measured against (--reference), evaluated once on
 * the same proxy as the children and kept in OUT/references.json, so a resumed search does not
 * train them again.
 */
final class References {
    private References() {}

    static Map<String, ReferencePoint> evaluate(Path dir, SearchSettings s, ChildTask task, EngineOptions engine) throws IOException {
        Map<String, ReferencePoint> out = new LinkedHashMap<>();
        if (s.goal().references().isEmpty()) return out;
        Path file = dir.resolve("references.json");
        ObjectNode saved = Files.exists(file) ? (ObjectNode) Json.MAPPER.readTree(file.toFile()) : Json.object();
        try (Backend backend = Engine.open(engine)) {
            ChildEvaluator evaluator = task.referenceEvaluator(backend);
            if (evaluator == null) {
                System.err.println("--reference: this space's children have no proxy for references; none drawn");
                return out;
            }
            for (String ref : s.goal().references()) {
                Path path = Path.of(ref);
                String name = path.getFileName().toString().replaceFirst("\\.json$", "");
                if (!saved.has(name)) {
                    Architecture arch = Architectures.read(path);
                    System.err.printf("evaluating the reference %s on the proxy%n", name);
                    ChildResult r = evaluator.evaluate(-1, arch, s.seed());
                    ObjectNode o = saved.putObject(name);
                    Json.putNumber(o, "val_accuracy", r.valMetric());
                    Json.putNumber(o, "flops", r.flops());
                    o.put("params", r.params()).put("status", r.status());
                    AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(saved));
                }
                JsonNode o = saved.get(name);
                if (o.path("status").asText().equals("ok"))
                    out.put(name, new ReferencePoint(o.get("val_accuracy").asDouble(), new Cost(o.get("flops").asDouble(), o.get("params").asLong())));
            }
        }
        return out;
    }
}
