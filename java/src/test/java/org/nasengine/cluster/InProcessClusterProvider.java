package org.nasengine.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.nasengine.cli.RemoteChildren;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * A cluster without an engine, for the seam's tests: {@code in-process://N} trains children with
 * {@link RemoteChildren} in this JVM, N at once, after sending the job and each result through Java
 * serialization as a real engine does; {@code unreachable://} refuses to connect.
 */
public final class InProcessClusterProvider implements ClusterProvider {
    /** Children trained through the seam since the JVM started. */
    public static final AtomicInteger TRAINED = new AtomicInteger();

    @Override
    public boolean accepts(String url) {
        return url.startsWith("in-process://") || url.startsWith("unreachable://");
    }

    @Override
    public String addressForms() {
        return "in-process://N, unreachable:// (tests)";
    }

    @Override
    public Cluster connect(String url, ChildJob job, Duration timeout) {
        if (url.startsWith("unreachable://")) throw new ClusterUnavailableException("nothing answers at " + url);
        int slots = Integer.parseInt(url.substring("in-process://".length()));
        ChildJob shipped = roundTrip(job);
        return new Cluster() {
            @Override
            public ChildResult evaluate(int trialId, Architecture arch, long seed) {
                TRAINED.incrementAndGet();
                return roundTrip(RemoteChildren.evaluate(shipped, 1, trialId, ArchitectureCodec.toCompactJson(arch), seed));
            }

            @Override
            public String describe() {
                return "in-process test cluster";
            }

            @Override
            public int slots() {
                return slots;
            }

            @Override
            public void close() {}
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
