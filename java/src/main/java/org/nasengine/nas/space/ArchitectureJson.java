package org.nasengine.nas.space;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;

/**
 * Jackson glue for records that hold an {@link Architecture} (a trial line, a checkpoint): the
 * value is written as the spec's JSON form and read back through {@link ArchitectureCodec}, so
 * the typed value is all the rest of the code ever sees.
 */
public final class ArchitectureJson {
    private ArchitectureJson() {}

    public static final class Writer extends JsonSerializer<Architecture> {
        @Override
        public void serialize(Architecture arch, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeTree(ArchitectureCodec.toTree(arch));
        }
    }

    public static final class Reader extends JsonDeserializer<Architecture> {
        @Override
        public Architecture deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = parser.readValueAsTree();
            try {
                return ArchitectureCodec.fromTree(tree);
            } catch (ArchitectureException e) {
                throw context.weirdStringException(tree.toString(), Architecture.class, e.getMessage());
            }
        }
    }
}
