package org.nasengine.nas.space;

/**
 * An architecture description that breaks a rule of spec/architectures.md. The message is
 * {@code field: detail}, where field is the JSON path ({@code layers[3].inputs}) and detail names
 * the offending value and the rule, so a user can fix the file without reading the code.
 */
public final class ArchitectureException extends IllegalArgumentException {
    private final String field;

    public ArchitectureException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    /** The JSON path of the offending field, e.g. {@code normal[2].inputs[0]}. */
    public String field() {
        return field;
    }
}
