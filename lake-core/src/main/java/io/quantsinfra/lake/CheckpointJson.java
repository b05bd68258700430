package io.quantsinfra.lake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON codec of {@link Checkpoint}. Instants are written as ISO-8601 strings by a tiny module
 * (jackson-datatype-jsr310 is not a dependency). The reader and writer are immutable and thread-safe.
 */
final class CheckpointJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("iso-instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new IsoInstantDeserializer()))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectReader READER = MAPPER.readerFor(Checkpoint.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(Checkpoint.class)
            .with(SerializationFeature.INDENT_OUTPUT);

    private CheckpointJson() {
    }

    /** {@code checkpoint} as pretty-printed UTF-8 JSON ending in a newline. */
    static byte[] write(Checkpoint checkpoint) {
        try {
            return (WRITER.writeValueAsString(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a checkpoint", e);
        }
    }

    /**
     * The checkpoint in {@code json}.
     *
     * @throws IOException if it is not the JSON of a checkpoint: malformed, truncated, empty, not an
     *                     object, or with invalid values
     */
    static Checkpoint read(byte[] json) throws IOException {
        Checkpoint checkpoint = READER.readValue(json);
        if (checkpoint == null) {
            throw new IOException("the file holds JSON null, not a checkpoint object");
        }
        return checkpoint;
    }

    /** Reads an ISO-8601 instant such as {@code "2024-11-28T14:30:45Z"}. */
    private static final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        IsoInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                        "not an ISO-8601 instant such as 2024-11-28T14:30:45Z");
            }
        }
    }
}
