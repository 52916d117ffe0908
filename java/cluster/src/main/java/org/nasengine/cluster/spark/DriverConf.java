package org.nasengine.cluster.spark;

import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;

/**
 * The Spark settings of a search's driver. Each is set only where the user set none: spark.*
 * system properties (-Dspark.executor.memory=4g) and spark-submit's options win.
 */
final class DriverConf {
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private DriverConf() {}

    static SparkConf of(String master) {
        SparkConf conf = new SparkConf().setAppName("nas-engine search").setMaster(master);
        conf.setIfMissing("spark.ui.enabled", "false"); // the search prints its own progress; one port fewer
        if (onLoopback(master)) {
            // else Spark binds the driver to the first non-loopback interface, and a local test cluster's traffic leaves loopback
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        // executors load our native library through FFM; Spark 4.2 passes this flag itself, versions before it may not
        String options = conf.get("spark.executor.extraJavaOptions", "");
        if (!options.contains(NATIVE_ACCESS)) conf.set("spark.executor.extraJavaOptions", (options + " " + NATIVE_ACCESS).trim());
        // without spark-submit (java -jar), executors take the driver's classpath: the same paths on a local or shared disk
        if (!conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath"))
            conf.set("spark.executor.extraClassPath", absoluteClasspath());
        return conf;
    }

    /** local[N], or a master whose (first) host is a loopback address. */
    static boolean onLoopback(String master) {
        if (master.startsWith("local")) return true;
        String first = master.substring("spark://".length()).split(",")[0];
        try {
            String host = URI.create("spark://" + first).getHost();
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false; // Spark itself says what is wrong with the address
        }
    }

    private static String absoluteClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
