package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;

class ArchitectureCodecTest {

    private static List<Path> referenceFiles() throws IOException {
        try (Stream<Path> files = Files.list(SharedFiles.path("spec/arch"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyReferenceFileRoundTripsByteForByte() throws IOException {
        List<Path> files = referenceFiles();
        assertEquals(5, files.size(), () -> "reference architectures: " + files);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Architecture arch = ArchitectureCodec.read(file);
            assertEquals(text, ArchitectureCodec.toJson(arch), () -> "pretty form of " + file);
            assertEquals(arch, ArchitectureCodec.parse(ArchitectureCodec.toJson(arch)), () -> "pretty round trip " + file);
            String compact = ArchitectureCodec.toCompactJson(arch);
            assertFalse(compact.contains("\n") || compact.contains(" "), compact);
            assertEquals(arch, ArchitectureCodec.parse(compact), () -> "compact round trip " + file);
            assertEquals(arch, ArchitectureCodec.fromTree(ArchitectureCodec.toTree(arch)), () -> "tree round trip " + file);
        }
    }

    @Test
    void referenceFilesDecodeToTheirForms() throws IOException {
        MacroCnn a = assertInstanceOf(MacroCnn.class, ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-cnn-a.json")));
        assertEquals(new MacroCnn.Layer(3, 5, 64, 1, 3), a.layer(4));
        assertEquals(new MacroCnn.Layer(3, 3, 64, 1, 1, 4), a.layer(5));
        MacroCnn b = assertInstanceOf(MacroCnn.class, ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-cnn-b.json")));
        assertEquals(12, b.size());

        NasNet n = assertInstanceOf(NasNet.class, ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-nasnet-a.json")));
        assertEquals(new NasNet.Block(3, NasNetOp.AVG_POOL_3X3, 2, NasNetOp.IDENTITY, NasNet.Combine.ADD), n.reduction().get(4));
        assertEquals(5, n.normal().size());
        // no block of the normal cell reads another: all five are concatenated
        assertEquals(List.of(0, 1, 2, 3, 4), NasNet.unreadBlocks(n.normal()));
        // reduction blocks 0 (read by block 3 as input 2) and 1 (read by block 4 as input 3) are consumed
        assertEquals(List.of(2, 3, 4), NasNet.unreadBlocks(n.reduction()));

        RnnCell r = assertInstanceOf(RnnCell.class, ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-rnn-a.json")));
        assertEquals(new RnnCell.Node(RnnCell.Combine.ELEM_MULT, RnnCell.Activation.SIGMOID), r.nodes().get(2));
        assertEquals(new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.RELU), r.inject());
        assertEquals(0, r.injectNode());
        assertEquals(1, r.memoryNode());
        assertEquals(2, r.root());
        assertEquals(0, r.leftChild(2));
        assertEquals(1, r.rightChild(2));

        assertEquals(new Lstm(2, 200), ArchitectureCodec.read(SharedFiles.path("spec/arch/lstm-200.json")));
    }

    @Test
    void nb201CellStringRoundTripsAndKeepsTheBenchmarksEdgeOrder() {
        String cell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
        Nb201 a = assertInstanceOf(Nb201.class, ArchitectureCodec.parse("{\"space\": \"nb201\", \"cell\": \"" + cell + "\"}"));
        assertEquals(cell, a.cellString());
        assertEquals(Nb201.Op.AVG_POOL_3X3, a.edge(2, 1));
        assertEquals(Nb201.Op.SKIP_CONNECT, a.edge(3, 2));
        assertEquals(16, a.channels());
        assertEquals(5, a.cellsPerStage());
        assertEquals("{\"space\":\"nb201\",\"cell\":\"" + cell + "\",\"channels\":16,\"cells_per_stage\":5}", a.key());
        assertEquals(a, ArchitectureCodec.parse(ArchitectureCodec.toJson(a)));
        Nb201 wide = new Nb201(a.edges(), 8, 1);
        assertNotEquals(a.key(), wide.key());
    }

    @Test
    void keyIsEqualForIdenticalArchitecturesOnly() {
        String withDefaults = "{\"space\": \"nasnet\", \"normal\": [{\"inputs\": [0, 1], \"ops\": [\"identity\", \"conv_3x3\"],"
                + " \"combine\": \"add\"}], \"reduction\": [{\"inputs\": [1, 0], \"ops\": [\"max_pool_3x3\", \"conv_1x1\"],"
                + " \"combine\": \"concat\"}]}";
        // same description written another way: defaults spelled out, keys reordered, spacing changed
        String spelled = "{\"filters\":32,\"repeats\":2,\"reduction\":[{\"combine\":\"concat\",\"inputs\":[1,0],"
                + "\"ops\":[\"max_pool_3x3\",\"conv_1x1\"]}],\"normal\":[{\"ops\":[\"identity\",\"conv_3x3\"],"
                + "\"inputs\":[0,1],\"combine\":\"add\"}],\"space\":\"nasnet\"}";
        Architecture a = ArchitectureCodec.parse(withDefaults);
        Architecture b = ArchitectureCodec.parse(spelled);
        assertEquals(a, b);
        assertEquals(a.key(), b.key());
        assertTrue(a.key().startsWith("{\"space\":\"nasnet\",\"normal\":"), a.key());
        Architecture c = ArchitectureCodec.parse(spelled.replace("\"filters\":32", "\"filters\":64"));
        assertNotEquals(a.key(), c.key());
    }

    @Test
    void writesFieldsInTheSpecsOrder() {
        MacroCnn m = new MacroCnn(List.of(new MacroCnn.Layer(1, 7, 4, 3)));
        assertEquals("{\"space\":\"macro-cnn\",\"layers\":[{\"kh\":1,\"kw\":7,\"filters\":4,\"stride\":3,\"inputs\":[]}]}",
                ArchitectureCodec.toCompactJson(m));
        RnnCell r = new RnnCell(2, List.of(
                new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.IDENTITY),
                new RnnCell.Node(RnnCell.Combine.ELEM_MULT, RnnCell.Activation.TANH),
                new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.SIGMOID)),
                new RnnCell.Node(RnnCell.Combine.ELEM_MULT, RnnCell.Activation.RELU), 2, 0);
        assertEquals("{\"space\":\"rnn-cell\",\"base\":2,\"nodes\":[{\"combine\":\"add\",\"activation\":\"identity\"},"
                + "{\"combine\":\"elem_mult\",\"activation\":\"tanh\"},{\"combine\":\"add\",\"activation\":\"sigmoid\"}],"
                + "\"inject\":{\"combine\":\"elem_mult\",\"activation\":\"relu\"},\"injectNode\":2,\"memoryNode\":0}",
                ArchitectureCodec.toCompactJson(r));
    }
}
