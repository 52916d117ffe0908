package org.nasengine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The JSON the commands print and write; non-finite numbers become null, as JSON has no NaN. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    static void putNumber(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) o.put(field, value);
        else o.putNull(field);
    }

    static String line(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
