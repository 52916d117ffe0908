package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save and --load: a saved network evaluated with --epochs 0 gives back its test accuracy exactly. */
class WeightsCliTest {

    @Test
    void savedNetworkReproducesItsTestAccuracy(@TempDir Path dir) throws Exception {
        Path arch = Cli.smallArch(dir), weights = dir.resolve("net.safetensors");
        Cli.Run trained = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1", "--batch", "32",
                "--validation", "500", "--device", "java", "--save", weights.toString());
        assertEquals(0, trained.exit(), trained.err());
        JsonNode t = Cli.lastJsonLine(trained.out());
        assertEquals(weights.toString(), t.get("weights").asText());

        // another hold-out, so other training statistics: the file's normalization is the one used
        Cli.Run loaded = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "0", "--batch", "32",
                "--validation", "400", "--device", "java", "--load", weights.toString());
        assertEquals(0, loaded.exit(), loaded.err());
        JsonNode l = Cli.lastJsonLine(loaded.out());
        assertEquals(0, l.get("epochs").asInt());
        assertEquals(t.get("test_accuracy").asDouble(), l.get("test_accuracy").asDouble(), 0.0, "the same test accuracy, exactly");
        assertTrue(t.get("test_accuracy").asDouble() > 0.2, "a trained network, not chance: " + t);
    }

    @Test
    void weightsThatDoNotFitAreExitCodeTwo(@TempDir Path dir) throws Exception {
        Path arch = Cli.smallArch(dir), weights = dir.resolve("net.safetensors");
        Cli.Run trained = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1", "--batch", "64",
                "--max-steps", "2", "--validation", "500", "--device", "java", "--save", weights.toString());
        assertEquals(0, trained.exit(), trained.err());
        Path other = dir.resolve("b.json");
        Files.writeString(other, """
                {"space": "macro-cnn", "layers": [{"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []}]}""");
        Cli.Run r = Cli.run("train", "--arch", other.toString(), "--dataset", "synthetic", "--epochs", "0", "--device", "java",
                "--load", weights.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("saved for another architecture"), r.err());
        assertFalse(r.err().contains("at org."), r.err());

        Cli.Run missing = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "0", "--device", "java",
                "--load", dir.resolve("nope.safetensors").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.safetensors: no such file"), missing.err());

        Cli.Run unwritable = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1", "--device", "java",
                "--save", dir.resolve("no/such/dir/w.safetensors").toString());
        assertEquals(2, unwritable.exit());
        assertTrue(unwritable.err().contains("does not exist"), unwritable.err());
    }
}
