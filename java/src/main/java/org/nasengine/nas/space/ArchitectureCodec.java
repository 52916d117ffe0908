package org.nasengine.nas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one decoder and encoder of the JSON forms of spec/architectures.md. Reading rejects unknown
 * fields, duplicate keys, wrong types and trailing content, fills the optional fields with their
 * defaults, and leaves the rules on values to the architecture constructors; every error is an
 * {@link ArchitectureException} naming the field path. Writing gives the spec's form with the
 * fields in the spec's order, every optional field written out.
 */
public final class ArchitectureCodec {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> SPACES = List.of(MacroCnn.SPACE, NasNet.SPACE, RnnCell.SPACE, Nb201.SPACE, Lstm.SPACE);
    private static final List<String> MACRO_FIELDS = List.of("space", "layers");
    private static final List<String> LAYER_FIELDS = List.of("kh", "kw", "filters", "stride", "inputs");
    private static final List<String> NASNET_FIELDS = List.of("space", "normal", "reduction", "repeats", "filters");
    private static final List<String> BLOCK_FIELDS = List.of("inputs", "ops", "combine");
    private static final List<String> RNN_FIELDS = List.of("space", "base", "nodes", "inject", "injectNode", "memoryNode");
    private static final List<String> NODE_FIELDS = List.of("combine", "activation");
    private static final List<String> NB201_FIELDS = List.of("space", "cell", "channels", "cells_per_stage");
    private static final List<String> LSTM_FIELDS = List.of("space", "layers", "hidden");

    private ArchitectureCodec() {
    }

    // ---------------------------------------------------------------- reading

    public static Architecture parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ArchitectureException(JsonFields.ROOT, "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        return fromTree(tree);
    }

    /** Parses and checks that the architecture is of the expected form. */
    public static <T extends Architecture> T parse(String json, Class<T> type) {
        Architecture arch = parse(json);
        if (!type.isInstance(arch))
            throw new ArchitectureException("space", "\"" + arch.space() + "\" is not the expected form (" + type.getSimpleName() + ")");
        return type.cast(arch);
    }

    /** Reads a file; rule violations are ArchitectureExceptions (the caller names the file). */
    public static Architecture read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Decodes a parsed JSON tree, e.g. the {@code arch} field of a trial record. */
    public static Architecture fromTree(JsonNode tree) {
        JsonFields root = new JsonFields(tree, "");
        String space = root.string("space");
        return switch (space) {
            case MacroCnn.SPACE -> readMacroCnn(root);
            case NasNet.SPACE -> readNasNet(root);
            case RnnCell.SPACE -> readRnnCell(root);
            case Nb201.SPACE -> readNb201(root);
            case Lstm.SPACE -> readLstm(root);
            default -> throw new ArchitectureException("space",
                    JsonFields.show(tree.get("space")) + " must be one of " + String.join(", ", SPACES));
        };
    }

    private static MacroCnn readMacroCnn(JsonFields root) {
        root.allowOnly(MACRO_FIELDS);
        List<MacroCnn.Layer> layers = root.array("layers", (node, path) -> {
            JsonFields f = new JsonFields(node, path);
            f.allowOnly(LAYER_FIELDS);
            return new MacroCnn.Layer(f.integer("kh"), f.integer("kw"), f.integer("filters"), f.integer("stride"),
                    f.array("inputs", JsonFields::integer));
        });
        return new MacroCnn(layers);
    }

    private static NasNet readNasNet(JsonFields root) {
        root.allowOnly(NASNET_FIELDS);
        List<NasNet.Block> normal = root.array("normal", ArchitectureCodec::readBlock);
        List<NasNet.Block> reduction = root.array("reduction", ArchitectureCodec::readBlock);
        return new NasNet(normal, reduction, root.integer("repeats", NasNet.DEFAULT_REPEATS),
                root.integer("filters", NasNet.DEFAULT_FILTERS));
    }

    private static NasNet.Block readBlock(JsonNode node, String path) {
        JsonFields f = new JsonFields(node, path);
        f.allowOnly(BLOCK_FIELDS);
        List<Integer> inputs = f.array("inputs", JsonFields::integer);
        List<NasNetOp> ops = f.array("ops", (op, at) -> JsonFields.choice(op, at, NasNetOp.values(), NasNetOp::jsonName));
        return new NasNet.Block(inputs, ops, f.choice("combine", NasNet.Combine.values(), NasNet.Combine::jsonName));
    }

    private static RnnCell readRnnCell(JsonFields root) {
        root.allowOnly(RNN_FIELDS);
        int base = root.integer("base");
        List<RnnCell.Node> nodes = root.array("nodes", (node, path) -> readNode(new JsonFields(node, path)));
        RnnCell.Node inject = readNode(root.object("inject"));
        return new RnnCell(base, nodes, inject, root.integer("injectNode"), root.integer("memoryNode"));
    }

    private static Nb201 readNb201(JsonFields root) {
        root.allowOnly(NB201_FIELDS);
        return new Nb201(Nb201.parseCell(root.string("cell")), root.integer("channels", Nb201.DEFAULT_CHANNELS),
                root.integer("cells_per_stage", Nb201.DEFAULT_CELLS_PER_STAGE));
    }

    private static Lstm readLstm(JsonFields root) {
        root.allowOnly(LSTM_FIELDS);
        return new Lstm(root.integer("layers"), root.integer("hidden"));
    }

    private static RnnCell.Node readNode(JsonFields f) {
        f.allowOnly(NODE_FIELDS);
        return new RnnCell.Node(f.choice("combine", RnnCell.Combine.values(), RnnCell.Combine::jsonName),
                f.choice("activation", RnnCell.Activation.values(), RnnCell.Activation::jsonName));
    }

    // ---------------------------------------------------------------- writing

    /** The spec's JSON form as a tree, fields in the spec's order. */
    public static ObjectNode toTree(Architecture arch) {
        ObjectNode out = NODES.objectNode();
        out.put("space", arch.space());
        switch (arch) {
            case MacroCnn m -> {
                ArrayNode layers = out.putArray("layers");
                for (MacroCnn.Layer l : m.layers()) {
                    ObjectNode o = layers.addObject();
                    o.put("kh", l.kh()).put("kw", l.kw()).put("filters", l.filters()).put("stride", l.stride());
                    ArrayNode inputs = o.putArray("inputs");
                    l.inputs().forEach(inputs::add);
                }
            }
            case NasNet n -> {
                writeCell(out.putArray("normal"), n.normal());
                writeCell(out.putArray("reduction"), n.reduction());
                out.put("repeats", n.repeats()).put("filters", n.filters());
            }
            case RnnCell r -> {
                out.put("base", r.base());
                ArrayNode nodes = out.putArray("nodes");
                for (RnnCell.Node node : r.nodes()) writeNode(nodes.addObject(), node);
                writeNode(out.putObject("inject"), r.inject());
                out.put("injectNode", r.injectNode()).put("memoryNode", r.memoryNode());
            }
            case Nb201 b -> out.put("cell", b.cellString()).put("channels", b.channels()).put("cells_per_stage", b.cellsPerStage());
            case Lstm l -> out.put("layers", l.layers()).put("hidden", l.hidden());
        }
        return out;
    }

    private static void writeCell(ArrayNode cell, List<NasNet.Block> blocks) {
        for (NasNet.Block b : blocks) {
            ObjectNode o = cell.addObject();
            ArrayNode inputs = o.putArray("inputs");
            b.inputs().forEach(inputs::add);
            ArrayNode ops = o.putArray("ops");
            b.ops().forEach(op -> ops.add(op.jsonName()));
            o.put("combine", b.combine().jsonName());
        }
    }

    private static void writeNode(ObjectNode o, RnnCell.Node node) {
        o.put("combine", node.combine().jsonName()).put("activation", node.activation().jsonName());
    }

    /** One line without spaces: the form for trials.jsonl and {@link Architecture#key()}. */
    public static String toCompactJson(Architecture arch) {
        return toTree(arch).toString();
    }

    /**
     * The layout of the files in spec/arch: a form of scalars only on one line; otherwise one top-level field per line, arrays of objects one
     * element per line, everything else inline with ", " and ": "; ends with a newline.
     */
    public static String toJson(Architecture arch) {
        ObjectNode tree = toTree(arch);
        boolean flat = true;
        for (Map.Entry<String, JsonNode> field : tree.properties()) flat &= field.getValue().isValueNode();
        if (flat) { // a form of scalars only (lstm) is one line, as in spec/arch/lstm-200.json
            StringBuilder line = new StringBuilder();
            inline(line, tree);
            return line.append('\n').toString();
        }
        StringBuilder sb = new StringBuilder("{\n");
        Iterator<Map.Entry<String, JsonNode>> fields = tree.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            sb.append("  ").append(quote(field.getKey())).append(": ");
            JsonNode value = field.getValue();
            if (value.isArray() && !value.isEmpty() && value.get(0).isObject()) {
                sb.append("[\n");
                for (int i = 0; i < value.size(); i++) {
                    sb.append("    ");
                    inline(sb, value.get(i));
                    sb.append(i + 1 < value.size() ? ",\n" : "\n");
                }
                sb.append("  ]");
            } else {
                inline(sb, value);
            }
            sb.append(fields.hasNext() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static void inline(StringBuilder sb, JsonNode value) {
        if (value.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(quote(e.getKey())).append(": ");
                inline(sb, e.getValue());
            }
            sb.append('}');
        } else if (value.isArray()) {
            sb.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) sb.append(", ");
                inline(sb, value.get(i));
            }
            sb.append(']');
        } else {
            sb.append(value); // numbers and strings: Jackson's own JSON text, escapes included
        }
    }

    private static String quote(String s) {
        return NODES.textNode(s).toString();
    }
}
