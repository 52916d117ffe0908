package org.nasengine.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nasengine.cluster.ChildJob;
import org.nasengine.cluster.Cluster;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.space.ArchitectureCodec;

/** SparkCluster's own contract, in local mode in this JVM: what a child Spark gives up on becomes. */
class SparkClusterTest {
    private static final String ARCH = """
            {"space": "macro-cnn", "layers": [{"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []}]}""";

    @Test
    @Timeout(60)
    void aChildTheClusterGivesUpOnIsRecordedFailedWithTheReason() {
        ChildJob unreadable = new ChildJob("{\"space\": null}", "cpu", 1, false); // every executor throws on it
        try (Cluster cluster = new SparkClusterProvider().connect("local[1]", unreadable, Duration.ofSeconds(30))) {
            ChildResult r = cluster.evaluate(0, ArchitectureCodec.parse(ARCH), 1);
            assertEquals("failed", r.status(), r.toString());
            assertTrue(r.error().startsWith("the cluster gave up on this child: "), r.error());
            assertTrue(r.error().contains("the search settings shipped to this executor cannot be read"), r.error());
        }
    }

    @Test
    void theProviderTakesSparksAddressesOnly() {
        SparkClusterProvider spark = new SparkClusterProvider();
        for (String url : new String[] {"spark://master.example:7077", "local", "local[2]", "local[*]"}) assertTrue(spark.accepts(url), url);
        for (String url : new String[] {"yarn", "local[x]", "hazelcast://h:5701", "k8s://h"}) assertFalse(spark.accepts(url), url);
    }

    @Test
    void aLocalClusterKeepsTheDriverOnLoopback() {
        assertTrue(DriverConf.onLoopback("local[2]"));
        assertTrue(DriverConf.onLoopback("spark://127.0.0.1:7077"));
        assertTrue(DriverConf.onLoopback("spark://localhost:7077,127.0.0.1:7078"));
        assertFalse(DriverConf.onLoopback("spark://192.0.2.7:7077"));
        assertEquals("127.0.0.1", DriverConf.of("local[1]").get("spark.driver.host"));
        assertTrue(DriverConf.of("spark://192.0.2.7:7077").get("spark.executor.extraJavaOptions").contains(DriverConf.NATIVE_ACCESS));
    }
}
