package io.quantsinfra.lake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.ConfigProblem;
import io.quantsinfra.lake.config.ConfigReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --format json} documents: snake_case names, raw numbers, ISO-8601 UTC times to the
 * second, {@code null} where unknown. Built from the same result objects as the text output; the
 * schemas are documented in docs/json.md.
 */
final class JsonReport {
    private JsonReport() {
    }

    /**
     * The mapper that writes documents, made on first use: creating one is slow, and a
     * text-mode run (whose commands also build an unused document) must not pay for it before it starts.
     */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** An empty {@code {"profiles": []}} document to add profile objects to. */
    static ObjectNode document() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putArray("profiles");
        return doc;
    }

    /** The {@code profiles} array of a {@link #document()}. */
    static ArrayNode profiles(ObjectNode document) {
        return (ArrayNode) document.get("profiles");
    }

    /** The document as indented text. */
    static String text(ObjectNode document) {
        try {
            return Writer.JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ISO-8601 UTC to the second, or null. */
    static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** One profile's sync, which started at {@code started}: counts, errors, refused deletion and the cleanup that followed. */
    static void sync(ObjectNode o, SyncReport r, int exitCode, Instant started) {
        o.put("profile", r.profile());
        o.put("started_at", iso(started));
        o.put("status", r.status().word());
        o.put("exit_code", exitCode);
        o.put("dry_run", r.dryRun());
        o.put("files_transferred", r.filesTransferred());
        o.put("files_resumed", r.filesResumed());
        o.put("bytes_transferred", r.bytesTransferred());
        o.put("files_deleted", r.filesDeleted());
        o.put("duration_seconds", seconds(r.duration()));
        o.put("reconnects", r.reconnects());
        errors(o.putArray("errors"), r.errors());
        o.put("files_held_back", r.heldBack().size());
        ArrayNode held = o.putArray("held_back");
        for (Checkpoint.HeldBack h : r.heldBack()) {
            held.addObject().put("path", h.path()).put("reason", h.reason()).put("remote_size", h.remoteSize())
                    .put("since", iso(h.since()));
        }
        o.put("deletion_blocked", r.deletionBlocked().orElse(null));
        ObjectNode plan = o.putObject("plan");
        plan.put("files_to_transfer", r.plan().transfers().size());
        plan.put("bytes_to_transfer", r.plan().bytesToTransfer());
        plan.put("entries_to_delete", r.plan().deletions().size());
        ArrayNode kept = plan.putArray("kept");
        r.plan().kept().forEach(k -> kept.addObject().put("path", k.path()).put("reason", k.reason()));
        plan.put("remote_files", r.plan().remoteFiles());
        plan.put("remote_bytes", r.plan().remoteBytes());
        if (r.cleanup().isPresent()) {
            cleanupFields(o.putObject("cleanup"), r.cleanup().get());
        } else {
            o.putNull("cleanup");
        }
        o.putNull("error");
        o.putNull("hint");
    }

    /** One profile's cleanup; {@code status} is success, or partial when some directories could not be deleted. */
    static void cleanup(ObjectNode o, CleanupReport r, int exitCode) {
        o.put("profile", r.profile());
        o.put("status", r.errors().isEmpty() ? "success" : "partial");
        o.put("exit_code", exitCode);
        cleanupFields(o, r);
        o.putNull("error");
        o.putNull("hint");
    }

    /** A profile whose run failed as a whole: what is unknown is left out, the reason is in {@code error}. */
    static void failure(ObjectNode o, String profile, LakeException e, int exitCode) {
        failure(o, profile, e.getMessage(), e.hint(), exitCode);
    }

    /** Like {@link #failure(ObjectNode, String, LakeException, int)}, with the message and hint given. */
    static void failure(ObjectNode o, String profile, String error, Optional<String> hint, int exitCode) {
        o.put("profile", profile);
        o.put("status", "failed");
        o.put("exit_code", exitCode);
        o.put("error", error);
        o.put("hint", hint.orElse(null));
    }

    /** A profile a signal stopped before it started: interrupted, with nothing else to say. */
    static void notStarted(ObjectNode o, String profile, int exitCode) {
        failure(o, profile, "interrupted before it started", Optional.of("the next run syncs it"), exitCode);
        o.put("status", "interrupted");
    }

    /**
     * The document a command prints instead of its own when the config is invalid: the
     * problems, no profile, exit code 2. Its fields are those of {@code validate}'s document.
     */
    static ObjectNode invalidConfig(String file, ConfigReport report) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("config_file", file);
        doc.put("valid", false);
        problems(doc.putArray("errors"), report.errors());
        doc.putArray("profiles");
        return doc.put("exit_code", ExitCode.USAGE);
    }

    /** The document of a command line that could not be understood: the error, how to get help, exit code 2. */
    static ObjectNode usageError(String error, String hint) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("error", error);
        doc.put("hint", hint);
        doc.putArray("profiles");
        return doc.put("exit_code", ExitCode.USAGE);
    }

    /** Config problems or warnings as {@code [{file, line, column, path, message}]}; 0 means unknown and becomes null. */
    static void problems(ArrayNode a, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) {
            ObjectNode o = a.addObject();
            o.put("file", p.file().isEmpty() ? null : p.file());
            if (p.line() > 0) {
                o.put("line", p.line());
                o.put("column", p.column());
            } else {
                o.putNull("line");
                o.putNull("column");
            }
            o.put("path", p.path().isEmpty() ? null : p.path());
            o.put("message", p.message());
        }
    }

    private static void cleanupFields(ObjectNode o, CleanupReport r) {
        o.put("dry_run", r.dryRun());
        o.put("retention_days", r.retentionDays());
        o.put("cutoff_date", r.cutoff().map(Object::toString).orElse(null));
        ArrayNode expired = o.putArray("expired_directories");
        for (CleanupReport.Expired e : r.expired()) {
            expired.addObject().put("name", e.name()).put("date", e.date().toString()).put("bytes", e.bytes());
        }
        o.put("bytes_freed", r.bytesFreed());
        ArrayNode unknown = o.putArray("unknown_date");
        r.unknownDate().forEach(unknown::add);
        errors(o.putArray("errors"), r.errors());
    }

    private static void errors(ArrayNode a, List<PathError> errors) {
        for (PathError e : errors) {
            a.addObject().put("path", e.path()).put("message", e.message());
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
