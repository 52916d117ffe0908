package org.nasengine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.nasengine.nas.search.AtomicFiles;
import org.nasengine.nas.search.DamagedFileException;
import org.nasengine.nas.search.FolderLock;
import org.nasengine.nas.search.FolderStore;
import org.nasengine.nas.search.SearchStateException;
import org.nasengine.nas.search.SearchStore;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * The folder of one search (--out or --resume), everything about it that is not the search itself:
 * one writer at a time ({@link FolderLock}); its state files read and checked before anything
 * starts, each kind of damage one message that says what to do, and --repair; write failures (a
 * full disk) as a message that leaves the folder resumable; and a clean stop on Ctrl-C or SIGTERM.
 */
final class SearchFolder implements AutoCloseable {
    static final String SETTINGS = "settings.json";
    private final Path dir;
    private FolderLock lock;
    private SearchSettings settings;
    private FolderStore store;
    private Thread stopHook;

    private SearchFolder(Path dir) {
        this.dir = dir;
    }

    /** A new search into {@code dir}: refused at once where the folder is in use or holds a search. Writes nothing yet. */
    static SearchFolder fresh(Path dir) {
        SearchFolder f = new SearchFolder(dir);
        if (Files.isDirectory(dir)) {
            try {
                f.lock();
                f.refuseExistingSearch();
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
        }
        return f;
    }

    /**
     * The search in {@code dir}, to continue: locked, its settings read, its log and checkpoint
     * checked. With {@code repair}, damaged log lines are dropped (the original is kept beside it)
     * and checkpoints that cannot be read are set aside, so that the search replays from the log.
     */
    static SearchFolder resume(Path dir, boolean repair) {
        if (!Files.isDirectory(dir)) throw new UserError("--resume " + dir + ": no such folder");
        SearchFolder f = new SearchFolder(dir);
        try {
            f.lock();
            f.settings = f.readSettings();
            f.checkLog(repair);
            f.checkCheckpoint(repair);
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    Path dir() { return dir; }

    /** The saved settings of a resumed search. */
    SearchSettings settings() { return settings; }

    /** Creates the new search's folder and writes its settings: called once every option is validated. */
    void create(SearchSettings s) throws IOException {
        Files.createDirectories(dir);
        if (lock == null) {
            lock();
            refuseExistingSearch(); // another search may have started here since fresh() looked
        }
        AtomicFiles.write(dir.resolve(SETTINGS), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
    }

    /**
     * The store the search writes through. From now until {@link #close}, Ctrl-C or SIGTERM lets
     * a write in progress end, holds the folder still, and says how to continue.
     */
    SearchStore store(int budget) throws IOException {
        store = new FolderStore(dir);
        stopHook = new Thread(() -> stopped(budget), "search-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
        return new Guarded(store);
    }

    private void stopped(int budget) {
        boolean still = store.stopWrites(10_000);
        String recorded;
        try {
            List<Trial> trials = TrialLog.scan(store.trialsFile()).trials();
            long evaluated = trials.stream().filter(t -> t.rung() == 0 && t.trained()).count();
            recorded = evaluated + " of " + budget + " children evaluated, " + trials.size() + " records in " + store.trialsFile();
        } catch (IOException e) {
            recorded = "the children finished so far are in " + store.trialsFile();
        }
        System.err.printf("%nsearch stopped: %s%s; a child in training is abandoned and trained again on resume."
                + " Continue with: search --resume %s%n", recorded, still ? "" : " (a write was still running after 10 s)", dir);
        System.err.flush();
    }

    @Override
    public void close() {
        if (stopHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException ignored) {
                // the process is already exiting: the hook is running
            }
            stopHook = null;
        }
        try {
            if (lock != null) lock.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        lock = null;
    }

    private void lock() {
        lock = lock(dir);
    }

    /** The folder's lock: one process writes a search folder at a time; a second is refused, naming the first. */
    static FolderLock lock(Path dir) {
        try {
            return FolderLock.acquire(dir);
        } catch (FolderLock.InUseException e) {
            String kill = e.pid() > 0 ? "Ctrl-C in its terminal, or kill " + e.pid() : "Ctrl-C in its terminal";
            throw new UserError(e.getMessage() + ": wait for it to end, or stop it (" + kill + ") and continue it with --resume " + dir);
        } catch (IOException e) {
            throw new UserError("cannot lock " + dir.resolve(FolderLock.FILE) + ": " + e.getMessage(), e);
        }
    }

    private void refuseExistingSearch() {
        for (String name : List.of(SETTINGS, "trials.jsonl", "checkpoint.json"))
            if (Files.exists(dir.resolve(name)))
                throw new UserError(dir + " already holds a search: continue it with --resume " + dir + ", or choose another --out");
    }

    private SearchSettings readSettings() {
        Path file = dir.resolve(SETTINGS);
        if (!Files.exists(file))
            throw new UserError(file + ": no such file: --resume needs the folder of a search, which writes it when it starts");
        JsonNode tree;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) throw damagedSettings(file, "it is empty");
            tree = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw damagedSettings(file, "it is " + DamagedFileException.jsonProblem(e));
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) throw damagedSettings(file, "it is not a JSON object");
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : SearchSettings.class.getRecordComponents()) if (!tree.has(c.getName())) missing.add(c.getName());
        try {
            return Json.MAPPER.treeToValue(tree, SearchSettings.class);
        } catch (IOException | RuntimeException e) {
            if (!missing.isEmpty()) {
                String names = missing.stream().limit(6).collect(Collectors.joining(", ")) + (missing.size() > 6 ? ", ..." : "");
                throw damagedSettings(file, "it lacks " + missing.size() + " of the " + SearchSettings.class.getRecordComponents().length
                        + " settings (" + names + ")");
            }
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof UserError u) throw damagedSettings(file, "a saved setting is out of range: " + u.getMessage());
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
            throw damagedSettings(file, "a saved setting does not read (" + why.lines().findFirst().orElse(why) + ")");
        }
    }

    private static UserError damagedSettings(Path file, String what) {
        return new UserError(file + " is damaged: " + what + ". It is written once, when a search starts, and --resume takes every"
                + " setting from it: restore it from a copy, or start a new search with --out");
    }

    private void checkLog(boolean repair) {
        Path file = dir.resolve("trials.jsonl");
        try {
            TrialLog.Scan scan = TrialLog.scan(file);
            if (scan.damaged().isEmpty()) return;
            String lines = scan.damaged().stream().map(d -> String.valueOf(d.line())).collect(Collectors.joining(", "));
            if (!repair) {
                TrialLog.Damage first = scan.damaged().getFirst();
                String others = scan.damaged().size() > 1 ? " (damaged lines: " + lines + ")" : "";
                throw new UserError(file + " line " + first.line() + " is damaged: " + first.problem() + others + ". The other "
                        + scan.trials().size() + " records are intact. Continue with search --resume " + dir + " --repair: it drops"
                        + " the damaged line(s), keeps the original file beside it as trials.jsonl.orig and every good record, and"
                        + " trains another child in place of each dropped one");
            }
            Path copy = TrialLog.repair(file);
            System.err.printf("repaired %s: dropped damaged line(s) %s, kept the %d good records; the original is %s%n", file, lines,
                    scan.trials().size(), copy);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkCheckpoint(boolean repair) {
        FolderStore probe;
        try {
            probe = new FolderStore(dir);
            probe.checkpoint();
            if (probe.fallbackNote() != null) System.err.println("note: " + probe.fallbackNote());
        } catch (DamagedFileException e) {
            if (!repair)
                throw new UserError(e.getMessage() + ". Continue with search --resume " + dir + " --repair: it sets the damaged"
                        + " checkpoint(s) aside (as *.damaged) and replays the search from its start, taking every child in trials.jsonl from the log"
                        + " (none is trained again) as long as the replay proposes the same children");
            try {
                for (String name : List.of("checkpoint.json", "checkpoint.prev.json")) {
                    Path f = dir.resolve(name);
                    if (Files.exists(f)) Files.move(f, dir.resolve(name + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException io) {
                throw new UserError("cannot set the damaged checkpoints of " + dir + " aside: " + io.getMessage(), io);
            }
            System.err.printf("repaired %s: the damaged checkpoints are set aside as *.damaged; the search replays from its start%n", dir);
        } catch (IOException e) {
            throw new UserError("cannot read the checkpoint of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The folder's store, with a failing write (a full disk) turned into a message that says how to continue. */
    private final class Guarded implements SearchStore {
        private final FolderStore inner;

        Guarded(FolderStore inner) { this.inner = inner; }

        @Override public List<Trial> trials() throws IOException { return inner.trials(); }

        @Override public JsonNode checkpoint() throws IOException { return inner.checkpoint(); }

        @Override
        public void append(Trial trial) throws IOException {
            try {
                inner.append(trial);
            } catch (SearchStateException e) {
                throw e;
            } catch (IOException e) {
                throw stopped(e);
            }
        }

        @Override
        public void checkpoint(JsonNode state) throws IOException {
            try {
                inner.checkpoint(state);
            } catch (SearchStateException e) {
                throw e;
            } catch (IOException e) {
                throw stopped(e);
            }
        }

        private Stopped stopped(IOException e) {
            return new Stopped(e.getMessage() + ". The search stopped there; " + dir + " keeps every child finished before it,"
                    + " whole, and continues from there: make room, then run search --resume " + dir, e);
        }

        @Override public void close() throws IOException { inner.close(); }
    }
}
