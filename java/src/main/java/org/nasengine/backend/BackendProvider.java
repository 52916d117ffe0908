package org.nasengine.backend;

/**
 * One backend as {@link Backends} finds it: through {@link java.util.ServiceLoader}, from the
 * list in META-INF/services, so that this package names none of its implementations and a new
 * backend is one class and one line there.
 */
public interface BackendProvider {

    /** The device name it answers to: java, cpu, cuda. */
    String name();

    /** Its rank for {@code auto}: the available provider of the highest rank opens. The reference ranks lowest. */
    int preference();

    /** Why it cannot open on this machine, or null when it can. Cheap to ask again. */
    String unavailableReason();

    /**
     * Whether it answers to {@code device} (trimmed, lower case): its name, or a form of it such as
     * cuda:1. A device of its form that is malformed (cuda:x) fails here, before availability.
     */
    default boolean accepts(String device) {
        return device.equals(name());
    }

    /** The device names it answers to, for messages: "cpu", "cuda, cuda:N". */
    default String forms() {
        return name();
    }

    /** Opens it for {@code device}, one it {@link #accepts}; called only where it is available. */
    Backend open(String device);

    /** One line for {@code info}, where it is available: what it runs on and with what. */
    String describe();
}
