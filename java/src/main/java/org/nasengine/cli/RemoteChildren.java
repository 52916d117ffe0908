package org.nasengine.cli;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.cluster.ChildJob;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * The executor's side of {@code search --cluster}: rebuilds the search's child task from the job
 * shipped once (its settings: the same dataset read from the same path, the same proxy and goal),
 * once per JVM, and trains children with it. Each child that trains at once takes an evaluator with
 * a backend of its own, as each --workers thread does; they are kept for the next children.
 */
public final class RemoteChildren {
    private static final Supplier<ImageTrainer.Listener> NO_PROGRESS = () -> new ImageTrainer.Listener() {};
    private static final Object LOCK = new Object();
    private static final ArrayDeque<Slot> IDLE = new ArrayDeque<>();
    private static ChildJob current;  // the job that the task and the idle slots were built for
    private static SearchSettings settings;
    private static ChildTask task;

    private record Slot(ChildJob job, Backend backend, ChildEvaluator evaluator) {}

    private RemoteChildren() {}

    /**
     * Trains one child of {@code job}. A child that fails comes back with its status; this throws
     * only when this executor cannot train any child of the job (its dataset, native library or
     * device missing here), so that the engine runs the child again, on another executor if it can.
     *
     * @param cpus the cores the engine gave this task: the child's threads unless the job sets them
     */
    public static ChildResult evaluate(ChildJob job, int cpus, int trialId, String archJson, long seed) {
        Slot slot = take(job, cpus);
        try {
            return slot.evaluator().evaluate(trialId, ArchitectureCodec.parse(archJson), seed);
        } finally {
            giveBack(slot);
        }
    }

    private static Slot take(ChildJob job, int cpus) {
        synchronized (LOCK) {
            if (!job.equals(current)) {   // a new search in this JVM (local[N] runs the driver's searches here)
                IDLE.forEach(s -> s.backend().close());
                IDLE.clear();
                SearchSettings s = read(job);
                task = ChildTask.of(s, engine(job, s, cpus));
                settings = s;
                current = job;
            }
            Slot idle = IDLE.poll();
            if (idle != null) return idle;
            Backend backend = Engine.open(engine(job, settings, cpus));
            return new Slot(job, backend, task.evaluator(backend, NO_PROGRESS));
        }
    }

    private static void giveBack(Slot slot) {
        synchronized (LOCK) {
            if (slot.job().equals(current)) IDLE.push(slot);
            else slot.backend().close();
        }
    }

    private static SearchSettings read(ChildJob job) {
        try {
            return Json.MAPPER.readValue(job.settingsJson(), SearchSettings.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the search settings shipped to this executor cannot be read: " + e.getMessage(), e);
        }
    }

    private static EngineOptions engine(ChildJob job, SearchSettings s, int cpus) {
        EngineOptions e = new EngineOptions();
        e.device = job.device();
        e.threads = job.threads() > 0 ? job.threads() : Math.max(1, cpus);
        e.deterministic = job.deterministic();
        e.seed = s.seed();
        return e;
    }
}
