package org.nasengine.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Chooses a backend by name: {@code java}, {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto},
 * among the {@link BackendProvider}s that META-INF/services lists.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static volatile boolean fallbackReported;

    private Backends() {}

    /** Every provider, the reference first (ascending preference); loaded once. */
    private static final class Providers {
        static final List<BackendProvider> ALL = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(BackendProvider::preference)).toList();
    }

    /** One line per backend: whether it loaded and, if not, why. */
    public record Availability(String name, boolean available, String detail) {}

    public static List<Availability> survey() {
        List<Availability> out = new ArrayList<>();
        for (BackendProvider p : Providers.ALL) {
            String why = p.unavailableReason();
            out.add(why == null ? new Availability(p.name(), true, p.describe()) : new Availability(p.name(), false, why));
        }
        return out;
    }

    /**
     * Opens the named backend. {@code auto} opens the available provider of the highest preference
     * (CUDA, then the native CPU library, then the Java reference); when it has to settle for the
     * reference, it says once why the one above could not load.
     */
    public static Backend open(String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase();
        if (d.equals("auto")) return openAuto();
        for (BackendProvider p : Providers.ALL) {
            if (!p.accepts(d)) continue;
            String why = p.unavailableReason();
            if (why != null) throw new IllegalStateException("backend " + d + " is unavailable: " + why);
            return p.open(d);
        }
        throw new IllegalArgumentException("device '" + device + "' is not one of " + forms() + ", auto");
    }

    private static Backend openAuto() {
        List<BackendProvider> all = Providers.ALL;
        for (int i = all.size() - 1; i >= 0; i--) {
            BackendProvider p = all.get(i);
            if (p.unavailableReason() != null) continue;
            if (i == 0 && all.size() > 1 && !fallbackReported) {
                fallbackReported = true;
                BackendProvider above = all.get(1);
                LOG.warning(above.name() + " backend unavailable (" + above.unavailableReason() + "); running on the "
                        + p.name() + " reference backend, which is much slower");
            }
            return p.open(p.name());
        }
        throw new IllegalStateException("no backend is available: " + survey());
    }

    private static String forms() {
        return String.join(", ", Providers.ALL.stream().map(BackendProvider::forms).toList());
    }
}
