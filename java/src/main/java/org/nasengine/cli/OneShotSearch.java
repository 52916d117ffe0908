package org.nasengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.oneshot.DartsSearch;
import org.nasengine.nas.oneshot.DartsSupernet;
import org.nasengine.nas.oneshot.EnasConfig;
import org.nasengine.nas.oneshot.EnasSearch;
import org.nasengine.nas.oneshot.Nb201Supernet;
import org.nasengine.nas.oneshot.SharedModel;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.nas.oneshot.OneShotStore;
import org.nasengine.nas.search.AtomicFiles;
import org.nasengine.nas.search.FolderLock;
import org.nasengine.nas.search.SearchStateException;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;

/**
 * {@code search --strategy enas|darts}: the weight-sharing searches. They do not fit the
 * propose-and-train rounds of {@code SearchLoop} (no child is trained on its own), so they run
 * here: one supernet trained in place, checkpointed in OUT, then the found child retrained from
 * scratch like every search's best (best.json, final.json; for nb201 the table's figures too).
 */
final class OneShotSearch {
    static final List<String> STRATEGIES = List.of("enas", "darts");

    private OneShotSearch() {}

    /** Whether this command is a weight-sharing search: --strategy enas|darts, or --resume of one. */
    static boolean handles(SearchCommand c) {
        if (c.resume == null) return STRATEGIES.contains(c.strategy);
        try {
            JsonNode s = Json.MAPPER.readTree(c.resume.resolve("settings.json").toFile());
            return s != null && STRATEGIES.contains(s.path("strategy").asText());
        } catch (IOException e) {
            return false; // the ordinary resume reports the unreadable file
        }
    }

    static int run(SearchCommand c) throws IOException {
        List<String> given = c.spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName()).toList();
        Path dir = c.resume != null ? c.resume : c.out;
        OneShotSettings s;
        if (c.resume != null) {
            for (String name : given)
                if (!List.of("--resume", "--device", "--threads").contains(name))
                    throw new UserError("--resume continues " + dir + " with its saved settings (settings.json); " + name
                            + " would change them: leave it out, or start a new search with --out");
            try {
                s = Json.MAPPER.readValue(dir.resolve("settings.json").toFile(), OneShotSettings.class);
            } catch (IOException e) {
                throw new UserError(dir.resolve("settings.json") + ": cannot resume: " + e.getMessage(), e);
            }
        } else {
            s = OneShotSettings.of(c, given);
            if (Files.exists(dir.resolve("checkpoint.json")))
                throw new UserError(dir + " already holds a search: continue it with --resume " + dir + ", or choose another --out");
        }
        ImageDataset ds = DataOptions.loadImages(s.dataset(), s.dataDir() == null ? null : Path.of(s.dataDir()), s.validation(), s.seed());
        Files.createDirectories(dir);
        Thread stopNote = new Thread(() -> System.err.printf("%nsearch stopped: the last checkpoint in %s holds the search up to its "
                + "last completed step; continue with: search --resume %s%n", dir.resolve("checkpoint.json"), dir), "search-stop");
        try (FolderLock lock = SearchFolder.lock(dir)) { // one process writes a search folder at a time
            if (c.resume == null)
                AtomicFiles.write(dir.resolve("settings.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
            Runtime.getRuntime().addShutdownHook(stopNote); // Ctrl-C, SIGTERM: the checkpoints are atomic, so say how to go on
            return search(c, s, ds, dir);
        } catch (SearchStateException e) {
            throw e;
        } catch (IOException e) { // a full disk: every checkpoint and result file is written whole or not at all
            throw new Stopped("cannot write in " + dir + ": " + e.getMessage() + ". The search stopped there; its last checkpoint is"
                    + " whole: make room, then run search --resume " + dir, e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopNote);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the process is exiting (the note is being printed), or the hook was never added
            }
        }
    }

    private static int search(SearchCommand c, OneShotSettings s, ImageDataset ds, Path dir) throws IOException {
        OneShotStore store = new OneShotStore(dir);
        if (c.resume != null) { // a damaged checkpoint is named now, before any output; a fallback is said
            store.load();
            if (store.fallbackNote() != null) System.err.println("note: " + store.fallbackNote());
        }
        Outcome found;
        try (Backend backend = Engine.open(c.engine)) {
            System.err.printf("search: %s with %s on %s (%d training, %d validation images), out %s, on %s%n", s.space(), s.strategy(),
                    ds.name(), ds.train().count(), ds.validation().count(), dir, backend.name());
            found = s.strategy().equals("darts") ? darts(s, ds, backend, store) : enas(s, ds, backend, store);
        }
        ObjectNode fin = Json.object();
        fin.put("strategy", s.strategy());
        fin.put("search_status", found.status());
        if (found.error() != null) fin.put("search_error", found.error());
        fin.put("search_seconds", Math.round(found.seconds() * 10) / 10.0);
        if (found.arch() == null) {
            System.err.println("search stopped: " + found.error());
            write(dir.resolve("final.json"), Json.line(fin) + "\n");
            return 1;
        }
        Path bestFile = dir.resolve("best.json");
        write(bestFile, ArchitectureCodec.toJson(found.arch()));
        System.err.printf("best: %s -> %s (search %s, %.0f s)%n", describe(found.arch()), bestFile, found.status(), found.seconds());
        if (!found.status().equals("ok")) {
            System.err.println("search stopped early: " + found.error() + "; best.json is the cell of the last good state");
            write(dir.resolve("final.json"), Json.line(fin) + "\n");
            return 1;
        }
        if (s.finalEpochs() > 0) fin.setAll(FinalTraining.run(bestFile, ds, s.finalEpochs(), s.batch(), s.lr(), s.seed(), c.engine));
        else fin.set("arch", ArchitectureCodec.toTree(found.arch()));
        if (found.arch() instanceof Nb201 cell && s.dataset().equals("cifar10")) Nb201Report.add(fin, cell.cellString()); // the table is CIFAR-10's
        write(dir.resolve("final.json"), Json.line(fin) + "\n");
        System.out.println(Json.line(fin));
        return 0;
    }

    /** Written whole or not at all: a kill or a full disk never leaves half a result file. */
    private static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** What a weight-sharing search found: the child to retrain (null when none), how it ended and its search time. */
    record Outcome(Architecture arch, String status, String error, double seconds) {}

    private static Outcome darts(OneShotSettings s, ImageDataset ds, Backend backend, OneShotStore store) throws IOException {
        try (ProgressBar bar = Progress.bar("darts", 1)) {
            DartsSupernet net = s.space().equals("nasnet") ? EnasSpaces.nasnetSupernet(s, ds, backend)
                    : new Nb201Supernet(s.supernetChannels(), s.supernetCells(), ds.channels(), ds.height(), ds.width(), ds.classes(),
                            backend, s.seed());
            DartsSearch search = new DartsSearch(backend, net, ds.train().sample(s.trainSubset(), s.seed()), ds.validation(), s.darts(),
                    store, new DartsSearch.Listener() {
                        @Override
                        public void step(long step, long total, float loss) {
                            bar.maxHint(total);
                            bar.stepTo(step);
                            bar.setExtraMessage(String.format(" loss %.3f", loss));
                        }

                        @Override
                        public void epoch(JsonNode line) {
                            System.err.printf("%nepoch %d: %s train acc %.3f, cell val acc %.3f (%.0f s)%n", line.get("epoch").asInt(),
                                    line.get("cell").asText(), line.get("train_acc").asDouble(), line.get("cell_val_acc").asDouble(),
                                    line.get("seconds").asDouble());
                        }
                    });
            try {
                DartsSearch.Result r = search.run();
                return new Outcome(forRetraining(r.found(), s), r.status(), r.error(), r.seconds());
            } finally {
                search.close();
            }
        }
    }

    private static Outcome enas(OneShotSettings s, ImageDataset ds, Backend backend, OneShotStore store) throws IOException {
        DecisionSpace space = switch (s.space()) {
            case "nb201" -> new Nb201Space(s.supernetChannels(), s.supernetCells());
            case "nasnet" -> EnasSpaces.nasnet(s);
            default -> EnasSpaces.macro(s, ds);
        };
        EnasConfig cfg = new EnasConfig(s.searchEpochs(), s.batch(), s.supernetLr(), 0.001f, 0.9f, 1e-4f, 5f, s.controllerSteps(),
                s.childrenPerUpdate(), s.enasSamples(), s.dataset().equals("cifar10"), s.seed());
        try (JavaBackend controllerBackend = new JavaBackend();
             SharedModel model = switch (s.space()) {
                 case "nb201" -> new Nb201Supernet(s.supernetChannels(), s.supernetCells(), ds.channels(), ds.height(), ds.width(),
                         ds.classes(), backend, s.seed());
                 case "nasnet" -> EnasSpaces.nasnetSupernet(s, ds, backend);
                 default -> EnasSpaces.macroSupernet(s, ds, backend);
             };
             ProgressBar bar = Progress.bar("enas", 1)) {
            ReinforceStrategy controller = new ReinforceStrategy(controllerBackend, space, s.controllerLayers(), s.controllerHidden(),
                    s.controllerLr(), s.baselineDecay(), s.entropyWeight(), s.seed());
            EnasSearch search = new EnasSearch(backend, model, space, controller, ds.train().sample(s.trainSubset(), s.seed()),
                    ds.validation(), cfg, store, new EnasSearch.Listener() {
                        @Override
                        public void step(String phase, long done, long total, double value) {
                            bar.maxHint(total);
                            bar.stepTo(done);
                            bar.setExtraMessage(String.format(" %s %s %.3f", phase, phase.equals("weights") ? "loss" : "mean reward", value));
                        }

                        @Override
                        public void epoch(JsonNode line) {
                            System.err.printf("%n%s%n", line);
                        }
                    });
            try {
                EnasSearch.Result r = search.run();
                return new Outcome(r.best() == null ? null : forRetraining(r.best(), s), r.status(), r.error(), r.seconds());
            } finally {
                search.close();
            }
        }
    }

    /**
     * The found cell in the network it is retrained in: an nb201 cell at the benchmark's 16
     * channels and 5 cells per stage, nasnet cells at --nasnet-repeats and --nasnet-filters (the
     * supernet ran them smaller); a macro-cnn child as it is.
     */
    private static Architecture forRetraining(Architecture found, OneShotSettings s) {
        return switch (found) {
            case Nb201 cell -> new Nb201(cell.edges(), Nb201.DEFAULT_CHANNELS, Nb201.DEFAULT_CELLS_PER_STAGE);
            case NasNet cells -> new NasNet(cells.normal(), cells.reduction(), s.nasnetRepeats(), s.nasnetFilters());
            default -> found;
        };
    }

    private static String describe(Architecture a) {
        return a instanceof Nb201 cell ? cell.cellString() : ArchitectureCodec.toCompactJson(a);
    }
}
