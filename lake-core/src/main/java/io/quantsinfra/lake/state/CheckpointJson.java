package io.quantsinfra.lake.state;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.PathError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON codec of {@link Checkpoint}, on Jackson's streaming parser and generator. Data binding
 * would add the mapper and reflection over the records' annotations to the start of every run,
 * to read and write sixteen fields. Reading ignores unknown fields, reads a
 * missing or null number as 0 and a missing list as empty, and rejects anything else that is not
 * what {@link #write} writes: wrong types, invalid values, trailing content.
 */
final class CheckpointJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CheckpointJson() {
    }

    /** {@code checkpoint} as pretty-printed UTF-8 JSON ending in a newline. */
    static byte[] write(Checkpoint c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("profile_name", c.profileName());
            g.writeStringField("last_sync_status", c.lastSyncStatus() == null ? null : c.lastSyncStatus().word());
            writeInstant(g, "started_at", c.startedAt());
            writeInstant(g, "last_sync_time", c.lastSyncTime());
            writeInstant(g, "last_success_time", c.lastSuccessTime());
            g.writeNumberField("files_transferred", c.filesTransferred());
            g.writeNumberField("bytes_transferred", c.bytesTransferred());
            g.writeNumberField("files_deleted", c.filesDeleted());
            g.writeNumberField("duration_seconds", c.durationSeconds());
            g.writeArrayFieldStart("errors");
            for (PathError e : c.errors()) {
                g.writeStartObject();
                g.writeStringField("path", e.path());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("partials");
            for (Checkpoint.Partial p : c.partials()) {
                g.writeStartObject();
                g.writeStringField("path", p.path());
                g.writeNumberField("remote_size", p.remoteSize());
                g.writeNumberField("remote_mtime", p.remoteMtime());
                g.writeNumberField("bytes_held", p.bytesHeld());
                if (p.stagedId().isPresent()) {
                    g.writeStringField("upload_id", p.stagedId().get());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("held_back");
            for (Checkpoint.HeldBack h : c.heldBack()) {
                g.writeStartObject();
                g.writeStringField("path", h.path());
                g.writeNumberField("remote_size", h.remoteSize());
                g.writeNumberField("remote_mtime", h.remoteMtime());
                g.writeStringField("reason", h.reason());
                writeInstant(g, "since", h.since());
                g.writeEndObject();
            }
            g.writeEndArray();
            writeInstant(g, "last_cleanup_time", c.lastCleanupTime());
            g.writeNumberField("cleanup_dirs_deleted", c.cleanupDirsDeleted());
            g.writeNumberField("cleanup_bytes_freed", c.cleanupBytesFreed());
            Checkpoint.Totals totals = c.totals();
            g.writeObjectFieldStart("totals");
            g.writeObjectFieldStart("syncs");
            for (Map.Entry<String, Long> e : totals.syncs().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("files_transferred", totals.filesTransferred());
            g.writeNumberField("bytes_transferred", totals.bytesTransferred());
            g.writeNumberField("cleanup_dirs_deleted", totals.cleanupDirsDeleted());
            g.writeNumberField("cleanup_bytes_freed", totals.cleanupBytesFreed());
            g.writeEndObject();
            if (c.localLake() == null) {
                g.writeNullField("local_lake");
            } else {
                g.writeObjectFieldStart("local_lake");
                g.writeNumberField("files", c.localLake().files());
                g.writeNumberField("bytes", c.localLake().bytes());
                g.writeNumberField("rows", c.localLake().rows());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a checkpoint", e); // a byte array cannot fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeInstant(JsonGenerator g, String field, Instant value) throws IOException {
        g.writeStringField(field, value == null ? null : value.toString());
    }

    /**
     * The checkpoint in {@code json}.
     *
     * @throws IOException if it is not the JSON of a checkpoint: malformed, truncated, empty, not an
     *                     object, or with invalid values; a {@link JsonParseException} says where
     */
    static Checkpoint read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("the file holds no JSON");
            }
            if (first == JsonToken.VALUE_NULL) {
                throw new IOException("the file holds JSON null, not a checkpoint object");
            }
            Checkpoint checkpoint = checkpoint(p);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the checkpoint object");
            }
            return checkpoint;
        }
    }

    private static Checkpoint checkpoint(JsonParser p) throws IOException {
        requireObject(p, "the checkpoint");
        String profileName = null;
        Checkpoint.Status status = null;
        Instant startedAt = null;
        Instant lastSyncTime = null;
        Instant lastSuccessTime = null;
        Instant lastCleanupTime = null;
        long filesTransferred = 0;
        long bytesTransferred = 0;
        long filesDeleted = 0;
        long cleanupDirsDeleted = 0;
        long cleanupBytesFreed = 0;
        double durationSeconds = 0;
        List<PathError> errors = null;
        List<Checkpoint.Partial> partials = null;
        Checkpoint.Totals totals = null;
        Checkpoint.LocalLake localLake = null;
        List<Checkpoint.HeldBack> heldBack = null;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "profile_name" -> profileName = text(p, field);
                case "last_sync_status" -> status = status(p, field);
                case "started_at" -> startedAt = instant(p, field);
                case "last_sync_time" -> lastSyncTime = instant(p, field);
                case "last_success_time" -> lastSuccessTime = instant(p, field);
                case "last_cleanup_time" -> lastCleanupTime = instant(p, field);
                case "files_transferred" -> filesTransferred = number(p, field);
                case "bytes_transferred" -> bytesTransferred = number(p, field);
                case "files_deleted" -> filesDeleted = number(p, field);
                case "cleanup_dirs_deleted" -> cleanupDirsDeleted = number(p, field);
                case "cleanup_bytes_freed" -> cleanupBytesFreed = number(p, field);
                case "duration_seconds" -> durationSeconds = decimal(p, field);
                case "errors" -> errors = list(p, field, CheckpointJson::pathError);
                case "partials" -> partials = list(p, field, CheckpointJson::partial);
                case "held_back" -> heldBack = list(p, field, CheckpointJson::heldBack);
                case "totals" -> totals = p.currentToken() == JsonToken.VALUE_NULL ? null : totals(p);
                case "local_lake" -> localLake = p.currentToken() == JsonToken.VALUE_NULL ? null : localLake(p);
                default -> p.skipChildren();
            }
        }
        try {
            return new Checkpoint(profileName, status, startedAt, lastSyncTime, lastSuccessTime, filesTransferred,
                    bytesTransferred, filesDeleted, durationSeconds, errors, partials, lastCleanupTime, cleanupDirsDeleted,
                    cleanupBytesFreed, totals, localLake, heldBack);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(p, "invalid checkpoint: " + e.getMessage());
        }
    }

    private static PathError pathError(JsonParser p) throws IOException {
        requireObject(p, "an entry of errors");
        String path = null;
        String message = null;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "path" -> path = text(p, field);
                case "message" -> message = text(p, field);
                default -> p.skipChildren();
            }
        }
        try {
            return new PathError(path, message);
        } catch (NullPointerException e) {
            throw new JsonParseException(p, "invalid entry of errors: " + e.getMessage());
        }
    }

    private static Checkpoint.Partial partial(JsonParser p) throws IOException {
        requireObject(p, "an entry of partials");
        String path = null;
        long remoteSize = 0;
        long remoteMtime = 0;
        long bytesHeld = 0;
        String uploadId = null;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "path" -> path = text(p, field);
                case "remote_size" -> remoteSize = number(p, field);
                case "remote_mtime" -> remoteMtime = number(p, field);
                case "bytes_held" -> bytesHeld = number(p, field);
                case "upload_id" -> uploadId = text(p, field);
                default -> p.skipChildren();
            }
        }
        try {
            return new Checkpoint.Partial(path, remoteSize, remoteMtime, bytesHeld, Optional.ofNullable(uploadId));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(p, "invalid entry of partials: " + e.getMessage());
        }
    }

    private static Checkpoint.HeldBack heldBack(JsonParser p) throws IOException {
        requireObject(p, "an entry of held_back");
        String path = null;
        long remoteSize = 0;
        long remoteMtime = 0;
        String reason = null;
        Instant since = null;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "path" -> path = text(p, field);
                case "remote_size" -> remoteSize = number(p, field);
                case "remote_mtime" -> remoteMtime = number(p, field);
                case "reason" -> reason = text(p, field);
                case "since" -> since = instant(p, field);
                default -> p.skipChildren();
            }
        }
        try {
            return new Checkpoint.HeldBack(path, remoteSize, remoteMtime, reason, since);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(p, "invalid entry of held_back: " + e.getMessage());
        }
    }

    private static Checkpoint.Totals totals(JsonParser p) throws IOException {
        requireObject(p, "totals");
        Map<String, Long> syncs = null;
        long files = 0;
        long bytes = 0;
        long dirs = 0;
        long freed = 0;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "syncs" -> syncs = p.currentToken() == JsonToken.VALUE_NULL ? null : counts(p);
                case "files_transferred" -> files = number(p, field);
                case "bytes_transferred" -> bytes = number(p, field);
                case "cleanup_dirs_deleted" -> dirs = number(p, field);
                case "cleanup_bytes_freed" -> freed = number(p, field);
                default -> p.skipChildren();
            }
        }
        try {
            return new Checkpoint.Totals(syncs, files, bytes, dirs, freed);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(p, "invalid totals: " + e.getMessage());
        }
    }

    private static Map<String, Long> counts(JsonParser p) throws IOException {
        requireObject(p, "totals.syncs");
        Map<String, Long> counts = new TreeMap<>();
        for (String field = nextField(p); field != null; field = nextField(p)) {
            counts.put(field, number(p, "totals.syncs." + field));
        }
        return counts;
    }

    private static Checkpoint.LocalLake localLake(JsonParser p) throws IOException {
        requireObject(p, "local_lake");
        long files = 0;
        long bytes = 0;
        long rows = 0;
        for (String field = nextField(p); field != null; field = nextField(p)) {
            switch (field) {
                case "files" -> files = number(p, field);
                case "bytes" -> bytes = number(p, field);
                case "rows" -> rows = number(p, field);
                default -> p.skipChildren();
            }
        }
        try {
            return new Checkpoint.LocalLake(files, bytes, rows);
        } catch (IllegalArgumentException e) {
            throw new JsonParseException(p, "invalid local_lake: " + e.getMessage());
        }
    }

    /** Reads one element at a time from the current token, an array. */
    private interface ElementReader<T> {
        T read(JsonParser p) throws IOException;
    }

    private static <T> List<T> list(JsonParser p, String field, ElementReader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, field + " must be a list");
        }
        List<T> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(element.read(p));
        }
        return items;
    }

    /** The name of the next field of the object being read, with the parser on its value; null at the object's end. */
    private static String nextField(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            return null;
        }
        String name = p.currentName();
        p.nextToken();
        return name;
    }

    private static void requireObject(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, what + " must be a JSON object");
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(p, field + " must be a string");
        };
    }

    private static long number(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NULL -> 0;
            default -> throw new JsonParseException(p, field + " must be a whole number");
        };
    }

    private static double decimal(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_NULL -> 0;
            default -> throw new JsonParseException(p, field + " must be a number");
        };
    }

    private static Instant instant(JsonParser p, String field) throws IOException {
        String text = text(p, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new JsonParseException(p, field + " is not an ISO-8601 instant such as 2024-11-28T14:30:45Z: \"" + text + "\"");
        }
    }

    private static Checkpoint.Status status(JsonParser p, String field) throws IOException {
        String word = text(p, field);
        try {
            return word == null ? null : Checkpoint.Status.fromWord(word);
        } catch (IllegalArgumentException e) {
            throw new JsonParseException(p, field + ": " + e.getMessage());
        }
    }
}
