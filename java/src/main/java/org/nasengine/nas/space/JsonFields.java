package org.nasengine.nas.space;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one JSON object, naming each by its path ({@code layers[2].kh}) in every
 * error, so the codec states only which fields a form has.
 */
final class JsonFields {
    /** The name used for the whole document in messages. */
    static final String ROOT = "architecture";

    private final JsonNode node;
    private final String path;

    /** {@code path} is "" for the document itself. */
    JsonFields(JsonNode node, String path) {
        if (node == null || !node.isObject())
            throw new ArchitectureException(path.isEmpty() ? ROOT : path, show(node) + " must be a JSON object");
        this.node = node;
        this.path = path;
    }

    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Rejects every field not in {@code allowed}: a typo must not silently train another net. */
    void allowOnly(List<String> allowed) {
        Set<String> set = Set.copyOf(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!set.contains(name))
                throw new ArchitectureException(path(name), "unknown field (expected " + String.join(", ", allowed) + ")");
        }
    }

    boolean has(String name) {
        return node.has(name);
    }

    JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null) throw new ArchitectureException(path(name), "missing (required)");
        return value;
    }

    int integer(String name) {
        return integer(required(name), path(name));
    }

    int integer(String name, int fallback) {
        return has(name) ? integer(name) : fallback;
    }

    String string(String name) {
        return string(required(name), path(name));
    }

    JsonFields object(String name) {
        return new JsonFields(required(name), path(name));
    }

    /** The elements of an array field, each with its own path ({@code name[i]}). */
    <T> List<T> array(String name, ElementReader<T> reader) {
        JsonNode value = required(name);
        String at = path(name);
        if (!value.isArray()) throw new ArchitectureException(at, show(value) + " must be an array");
        List<T> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) out.add(reader.read(value.get(i), at + "[" + i + "]"));
        return out;
    }

    /** The value of an enum field given by its JSON name. */
    <E extends Enum<E>> E choice(String name, E[] values, Function<E, String> jsonName) {
        return choice(required(name), path(name), values, jsonName);
    }

    static <E extends Enum<E>> E choice(JsonNode value, String at, E[] values, Function<E, String> jsonName) {
        String text = string(value, at);
        for (E e : values) if (jsonName.apply(e).equals(text)) return e;
        List<String> names = new ArrayList<>();
        for (E e : values) names.add(jsonName.apply(e));
        throw new ArchitectureException(at, show(value) + " must be one of " + String.join(", ", names));
    }

    static int integer(JsonNode value, String at) {
        if (value.isIntegralNumber() && !value.canConvertToInt())
            throw new ArchitectureException(at, show(value) + " is out of the 32-bit integer range");
        if (!value.isInt()) throw new ArchitectureException(at, show(value) + " must be an integer");
        return value.intValue();
    }

    static String string(JsonNode value, String at) {
        if (!value.isTextual()) throw new ArchitectureException(at, show(value) + " must be a string");
        return value.textValue();
    }

    /** The value as it appears in JSON (strings quoted), for messages. */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    @FunctionalInterface
    interface ElementReader<T> {
        T read(JsonNode element, String path);
    }
}
