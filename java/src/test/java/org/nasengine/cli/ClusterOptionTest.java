package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.cluster.ChildJob;
import org.nasengine.cluster.InProcessClusterProvider;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import org.nasengine.nas.space.ArchitectureCodec;

/** search --cluster through the seam, with a test engine (InProcessClusterProvider): no Spark needed. */
class ClusterOptionTest {
    @TempDir Path dir;

    private static String[] search(Path out, String... more) {
        List<String> args = new ArrayList<>(SearchProcess.smallSearch(out, 5));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void childrenTrainThroughTheClusterAndAreRecordedOnce() throws Exception {
        Path out = dir.resolve("out");
        int before = InProcessClusterProvider.TRAINED.get();
        Cli.Run r = Cli.run(search(out, "--cluster", "in-process://2"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("children train on in-process test cluster, 2 at once"), r.err());
        List<Trial> trials = TrialLog.scan(out.resolve("trials.jsonl")).trials();
        Set<Integer> ids = new HashSet<>();
        for (Trial t : trials) assertTrue(ids.add(t.id()), "trial " + t.id() + " recorded twice");
        assertEquals(5, trials.stream().filter(Trial::trained).count());
        assertEquals(5, InProcessClusterProvider.TRAINED.get() - before, "every trained child went through the cluster");
        assertTrue(trials.stream().anyMatch(Trial::ok), "no child trained: " + trials);
    }

    @Test
    void anExecutorWithoutTheDatasetThrowsSoThatTheEngineRunsTheChildElsewhere() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, Cli.run(search(out, "--cluster", "in-process://1")).exit());
        ObjectNode settings = (ObjectNode) Json.MAPPER.readTree(out.resolve("settings.json").toFile());
        Path missing = dir.resolve("no-such-dataset");
        settings.put("dataset", "fashion-mnist").put("dataDir", missing.toString());
        ChildJob job = new ChildJob(Json.MAPPER.writeValueAsString(settings), "java", 1, false);
        String arch = ArchitectureCodec.toCompactJson(TrialLog.scan(out.resolve("trials.jsonl")).trials().getFirst().arch());
        UserError e = assertThrows(UserError.class, () -> RemoteChildren.evaluate(job, 1, 0, arch, 1));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void anUnreachableClusterIsRefusedBeforeTheSearchLeavesATrace() {
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run(search(out, "--cluster", "unreachable://x"));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--cluster unreachable://x: nothing answers"), r.err());
        assertFalse(Files.exists(out.resolve("settings.json")), "a refused search must not start its folder");
    }

    @Test
    void anAddressNoEngineTakesNamesTheFormsThatExist() {
        Cli.Run r = Cli.run(search(dir.resolve("out"), "--cluster", "yarn://x"));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("no cluster engine on the classpath takes this address; they take in-process://N"), r.err());
    }

    @Test
    void aWeightSharingSearchIsRefused() {
        Cli.Run r = Cli.run("search", "--strategy", "darts", "--cluster", "in-process://1", "--out", dir.resolve("o").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--cluster trains the children of a sampling search"), r.err());
    }
}
