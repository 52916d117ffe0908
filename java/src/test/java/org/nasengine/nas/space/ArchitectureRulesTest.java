package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every rule of spec/architectures.md broken once, with the exact message each one gives. */
class ArchitectureRulesTest {

    private static void rejects(String json, String message) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> ArchitectureCodec.parse(json),
                () -> "accepted " + json);
        assertEquals(message, e.getMessage(), () -> "for " + json);
        assertEquals(message.substring(0, message.indexOf(": ")), e.field());
    }

    private static void rejectsJson(String json, String where, String jacksonSays) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> ArchitectureCodec.parse(json));
        String prefix = "architecture: not valid JSON " + where + ": ";
        assertTrue(e.getMessage().startsWith(prefix + jacksonSays), () -> "expected " + prefix + jacksonSays + "..., got " + e.getMessage());
    }

    private static String cnn(String... layers) {
        return "{\"space\": \"macro-cnn\", \"layers\": [" + String.join(", ", layers) + "]}";
    }

    private static String layer(int kh, int kw, int filters, int stride, String inputs) {
        return "{\"kh\": " + kh + ", \"kw\": " + kw + ", \"filters\": " + filters + ", \"stride\": " + stride
                + ", \"inputs\": " + inputs + "}";
    }

    private static final String OK0 = layer(3, 3, 8, 1, "[]");
    private static final String OK1 = layer(3, 3, 8, 1, "[0]");

    // ---------------------------------------------------------------- macro-cnn

    @Test
    void macroCnnValueRules() {
        rejects(cnn(), "layers: 0 layers, must have at least 1");
        rejects(cnn(layer(4, 3, 8, 1, "[]")), "layers[0].kh: 4 must be odd, 1..7");
        rejects(cnn(OK0, layer(9, 3, 8, 1, "[0]")), "layers[1].kh: 9 must be odd, 1..7");
        rejects(cnn(layer(-1, 3, 8, 1, "[]")), "layers[0].kh: -1 must be odd, 1..7");
        rejects(cnn(layer(3, 2, 8, 1, "[]")), "layers[0].kw: 2 must be odd, 1..7");
        rejects(cnn(layer(3, 11, 8, 1, "[]")), "layers[0].kw: 11 must be odd, 1..7");
        rejects(cnn(layer(3, 3, 0, 1, "[]")), "layers[0].filters: 0 must be 1..1024");
        rejects(cnn(OK0, layer(3, 3, 1025, 1, "[]")), "layers[1].filters: 1025 must be 1..1024");
        rejects(cnn(layer(3, 3, 8, 0, "[]")), "layers[0].stride: 0 must be 1..3");
        rejects(cnn(layer(3, 3, 8, 4, "[]")), "layers[0].stride: 4 must be 1..3");
    }

    @Test
    void macroCnnInputRules() {
        rejects(cnn(OK0, OK1, OK1, layer(3, 3, 8, 1, "[0, 4]")), "layers[3].inputs: 4 is not an earlier layer");
        rejects(cnn(OK0, layer(3, 3, 8, 1, "[1]")), "layers[1].inputs: 1 is not an earlier layer");
        rejects(cnn(OK0, layer(3, 3, 8, 1, "[-1]")), "layers[1].inputs: -1 is not an earlier layer");
        rejects(cnn(OK0, OK1, layer(3, 3, 8, 1, "[0, 0]")), "layers[2].inputs: 0 is listed twice");
        rejects(cnn(OK0, OK1, layer(3, 3, 8, 1, "[1, 0]")), "layers[2].inputs: [1, 0] must be ascending");
    }

    @Test
    void macroCnnStructureRules() {
        rejects("{\"space\": \"macro-cnn\", \"layers\": [" + OK0 + "], \"depth\": 3}",
                "depth: unknown field (expected space, layers)");
        rejects(cnn("{\"kh\": 3, \"kw\": 3, \"filter\": 8, \"stride\": 1, \"inputs\": []}"),
                "layers[0].filter: unknown field (expected kh, kw, filters, stride, inputs)");
        rejects(cnn("{\"kh\": 3, \"kw\": 3, \"filters\": 8, \"inputs\": []}"), "layers[0].stride: missing (required)");
        rejects("{\"space\": \"macro-cnn\"}", "layers: missing (required)");
        rejects(cnn("{\"kh\": \"3\", \"kw\": 3, \"filters\": 8, \"stride\": 1, \"inputs\": []}"),
                "layers[0].kh: \"3\" must be an integer");
        rejects(cnn("{\"kh\": 3.0, \"kw\": 3, \"filters\": 8, \"stride\": 1, \"inputs\": []}"),
                "layers[0].kh: 3.0 must be an integer");
        rejects(cnn("{\"kh\": 3, \"kw\": null, \"filters\": 8, \"stride\": 1, \"inputs\": []}"),
                "layers[0].kw: null must be an integer");
        rejects(cnn("{\"kh\": 3, \"kw\": 3, \"filters\": 99999999999, \"stride\": 1, \"inputs\": []}"),
                "layers[0].filters: 99999999999 is out of the 32-bit integer range");
        rejects(cnn(OK0, "{\"kh\": 3, \"kw\": 3, \"filters\": 8, \"stride\": 1, \"inputs\": 0}"),
                "layers[1].inputs: 0 must be an array");
        rejects(cnn(OK0, "{\"kh\": 3, \"kw\": 3, \"filters\": 8, \"stride\": 1, \"inputs\": [\"0\"]}"),
                "layers[1].inputs[0]: \"0\" must be an integer");
        rejects(cnn("[3, 3, 8, 1]"), "layers[0]: [3,3,8,1] must be a JSON object");
        rejects("{\"space\": \"macro-cnn\", \"layers\": {}}", "layers: {} must be an array");
    }

    @Test
    void documentRules() {
        rejects("{\"layers\": []}", "space: missing (required)");
        rejects("{\"space\": \"cnn\"}", "space: \"cnn\" must be one of macro-cnn, nasnet, rnn-cell, nb201, lstm");
        rejects("{\"space\": 1}", "space: 1 must be a string");
        rejects("[]", "architecture: [] must be a JSON object");
        rejects("", "architecture: nothing must be a JSON object");
        // Jackson's own wording follows the position; only the part this codec adds is pinned
        rejectsJson("{\"space\": \"macro-cnn\", \"layers\": [" + OK0 + "]} {}", "(line 1, column 97)", "Trailing token");
        rejectsJson("{\"space\": \"macro-cnn\", \"space\": \"nasnet\"}", "(line 1, column 31)", "Duplicate field 'space'");
        rejectsJson("{\"space\": \"macro-cnn\",", "(line 1, column 23)", "Unexpected end-of-input");
    }

    @Test
    void expectedFormIsChecked() {
        ArchitectureException e = assertThrows(ArchitectureException.class,
                () -> ArchitectureCodec.parse(cnn(OK0), NasNet.class));
        assertEquals("space: \"macro-cnn\" is not the expected form (NasNet)", e.getMessage());
    }

    // ---------------------------------------------------------------- nasnet

    private static String block(String inputs, String ops, String combine) {
        return "{\"inputs\": " + inputs + ", \"ops\": " + ops + ", \"combine\": \"" + combine + "\"}";
    }

    private static final String B = block("[0, 1]", "[\"identity\", \"conv_3x3\"]", "add");

    private static String nasnet(String normal, String reduction, String extra) {
        return "{\"space\": \"nasnet\", \"normal\": [" + normal + "], \"reduction\": [" + reduction + "]" + extra + "}";
    }

    @Test
    void nasnetRules() {
        rejects(nasnet("", B, ""), "normal: 0 blocks, must be 1..10");
        rejects(nasnet(B, String.join(", ", java.util.Collections.nCopies(11, B)), ""),
                "reduction: 11 blocks, must be 1..10");
        rejects(nasnet(B + ", " + B + ", " + block("[5, 1]", "[\"identity\", \"identity\"]", "add"), B, ""),
                "normal[2].inputs[0]: 5 refers to a block not before block 2");
        rejects(nasnet(block("[0, 2]", "[\"identity\", \"identity\"]", "add"), B, ""),
                "normal[0].inputs[1]: 2 refers to a block not before block 0");
        rejects(nasnet(B, block("[-1, 0]", "[\"identity\", \"identity\"]", "add"), ""),
                "reduction[0].inputs[0]: -1 must be >= 0");
        rejects(nasnet(block("[0, 1, 1]", "[\"identity\", \"identity\"]", "add"), B, ""),
                "normal[0].inputs: 3 hidden states, must be 2");
        rejects(nasnet(block("[0, 1]", "[\"identity\"]", "add"), B, ""),
                "normal[0].ops: 1 operations, must be 2 (one per input)");
        rejects(nasnet(block("[0, 1]", "[\"identity\", \"sep_conv_9x9\"]", "add"), B, ""),
                "normal[0].ops[1]: \"sep_conv_9x9\" must be one of " + NasNetOp.jsonNames());
        rejects(nasnet(block("[0, 1]", "[\"identity\", \"identity\"]", "mul"), B, ""),
                "normal[0].combine: \"mul\" must be one of add, concat");
        rejects(nasnet(B, B, ", \"repeats\": 0"), "repeats: 0 must be >= 1");
        rejects(nasnet(B, B, ", \"filters\": 0"), "filters: 0 must be >= 1");
        rejects(nasnet(B, B, ", \"cells\": 3"), "cells: unknown field (expected space, normal, reduction, repeats, filters)");
        rejects(nasnet("{\"inputs\": [0, 1], \"ops\": [\"identity\", \"identity\"], \"combine\": \"add\", \"op\": 1}", B, ""),
                "normal[0].op: unknown field (expected inputs, ops, combine)");
    }

    @Test
    void nasnetOptionalFieldsTakeDefaults() {
        NasNet n = ArchitectureCodec.parse(nasnet(B, B, ""), NasNet.class);
        assertEquals(2, n.repeats());
        assertEquals(32, n.filters());
        NasNet m = ArchitectureCodec.parse(nasnet(B, B, ", \"repeats\": 3, \"filters\": 16"), NasNet.class);
        assertEquals(3, m.repeats());
        assertEquals(16, m.filters());
    }

    // ---------------------------------------------------------------- rnn-cell

    private static String rnn(int base, int nodes, String inject, int injectNode, int memoryNode) {
        String node = "{\"combine\": \"add\", \"activation\": \"tanh\"}";
        return "{\"space\": \"rnn-cell\", \"base\": " + base + ", \"nodes\": ["
                + String.join(", ", java.util.Collections.nCopies(nodes, node)) + "], \"inject\": " + inject
                + ", \"injectNode\": " + injectNode + ", \"memoryNode\": " + memoryNode + "}";
    }

    private static final String INJECT = "{\"combine\": \"add\", \"activation\": \"relu\"}";

    @Test
    void rnnCellRules() {
        rejects(rnn(1, 1, INJECT, 0, 0), "base: 1 must be 2..16");
        rejects(rnn(17, 33, INJECT, 0, 0), "base: 17 must be 2..16");
        rejects(rnn(2, 4, INJECT, 0, 1), "nodes: base 2 needs 3 nodes, got 4");
        rejects(rnn(2, 3, INJECT, 3, 1), "injectNode: 3 must be a node, 0..2");
        rejects(rnn(4, 7, INJECT, 0, -1), "memoryNode: -1 must be a node, 0..6");
        rejects(rnn(2, 3, "{\"combine\": \"sub\", \"activation\": \"relu\"}", 0, 1),
                "inject.combine: \"sub\" must be one of add, elem_mult");
        rejects(rnn(2, 3, "{\"combine\": \"add\", \"activation\": \"gelu\"}", 0, 1),
                "inject.activation: \"gelu\" must be one of tanh, relu, sigmoid, identity");
        rejects(rnn(2, 3, "{\"combine\": \"add\"}", 0, 1), "inject.activation: missing (required)");
        rejects(rnn(2, 3, "{\"combine\": \"add\", \"activation\": \"relu\", \"bias\": 1}", 0, 1),
                "inject.bias: unknown field (expected combine, activation)");
        rejects(rnn(2, 3, "\"add\"", 0, 1), "inject: \"add\" must be a JSON object");
        rejects("{\"space\": \"rnn-cell\", \"base\": 2, \"nodes\": [{\"combine\": \"add\", \"activation\": \"x\"}], "
                        + "\"inject\": " + INJECT + ", \"injectNode\": 0, \"memoryNode\": 0}",
                "nodes[0].activation: \"x\" must be one of tanh, relu, sigmoid, identity");
        rejects("{\"space\": \"rnn-cell\", \"base\": 2, \"nodes\": [], \"inject\": " + INJECT + ", \"memoryNode\": 0}",
                "injectNode: missing (required)");
    }

    // ---------------------------------------------------------------- nb201 and lstm

    private static String nb201(String cell) {
        return "{\"space\": \"nb201\", \"cell\": \"" + cell + "\"}";
    }

    @Test
    void nb201Rules() {
        rejects(nb201("|none~0|+|none~0|none~1|"), "cell: \"|none~0|+|none~0|none~1|\" must have 3 node groups separated by '+', got 2");
        rejects(nb201("|none~0|+|none~0|+|none~0|none~1|none~2|"), "cell: node 2 needs 2 edges (one from each earlier node), got \"|none~0|\"");
        rejects(nb201("|none~0|+|none~0|none~1|+|none~0|conv~1|none~2|"),
                "cell: operation \"conv\" of node 3 must be one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3");
        rejects(nb201("|none~0|+|none~1|none~0|+|none~0|none~1|none~2|"), "cell: edge \"none~1\" of node 2 must come from node 0");
        rejects(nb201("none~0+|none~0|none~1|+|none~0|none~1|none~2|"), "cell: node 1 group \"none~0\" must be |op~i|...|");
        String ok = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
        rejects("{\"space\": \"nb201\", \"cell\": \"" + ok + "\", \"channels\": 0}", "channels: 0 must be 1..1024");
        rejects("{\"space\": \"nb201\", \"cell\": \"" + ok + "\", \"cells_per_stage\": 0}", "cells_per_stage: 0 must be 1..64");
        rejects("{\"space\": \"nb201\", \"cell\": \"" + ok + "\", \"depth\": 3}",
                "depth: unknown field (expected space, cell, channels, cells_per_stage)");
        rejects("{\"space\": \"nb201\"}", "cell: missing (required)");
    }

    @Test
    void lstmRules() {
        rejects("{\"space\": \"lstm\", \"layers\": 0, \"hidden\": 200}", "layers: 0 must be 1..8");
        rejects("{\"space\": \"lstm\", \"layers\": 2, \"hidden\": 0}", "hidden: 0 must be 1..8192");
        rejects("{\"space\": \"lstm\", \"layers\": 2}", "hidden: missing (required)");
    }
}
