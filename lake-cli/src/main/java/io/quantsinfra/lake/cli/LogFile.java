package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * {@code --log-file}: one line per event, appended, each with its UTC time, the process id and
 * the profile, as rsync's {@code --log-file} writes them, so that a file cron or a service
 * appends to run after run says what happened when. Safe to call from several threads.
 */
final class LogFile implements AutoCloseable {
    private final BufferedWriter out;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();

    private LogFile(BufferedWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * Opens {@code file} to append to, creating it if needed.
     *
     * @throws IOException when it cannot be opened
     */
    static LogFile open(Path file, Clock clock) throws IOException {
        return new LogFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), clock);
    }

    /** Appends {@code 2024-11-28T14:30:45Z [4242] profile: text}; a write that fails is dropped, the run goes on. */
    synchronized void line(String profile, String text) {
        try {
            out.write(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " [" + pid + "] " + profile + ": " + text + "\n");
            out.flush();
        } catch (IOException e) {
            // the log is a record, not the run: a full disk here must not fail the sync
        }
    }

    /** A listener that logs {@code profile}'s plan, failed files, reconnects and warnings, then passes every event to {@code next}. */
    SyncListener listener(String profile, SyncListener next) {
        return new SyncListener() {
            @Override
            public void started(Checkpoint previous) {
                next.started(previous);
            }

            @Override
            public void planned(SyncPlan plan) {
                line(profile, "planned " + plan.transfers().size() + " files to transfer, " + plan.deletions().size()
                        + " entries to delete");
                next.planned(plan);
            }

            @Override
            public void fileStarted(String path, long size, long offset) {
                next.fileStarted(path, size, offset);
            }

            @Override
            public void bytesTransferred(String path, long bytes) {
                next.bytesTransferred(path, bytes);
            }

            @Override
            public void fileDone(String path, long bytesTransferred) {
                next.fileDone(path, bytesTransferred);
            }

            @Override
            public void fileFailed(PathError error) {
                line(profile, "✗ " + error.path() + ": " + error.message());
                next.fileFailed(error);
            }

            @Override
            public void deleted(String path) {
                next.deleted(path);
            }

            @Override
            public void reconnected(int attempt, String reason) {
                line(profile, "reconnected (attempt " + attempt + ") after: " + reason);
                next.reconnected(attempt, reason);
            }

            @Override
            public void warning(String message) {
                line(profile, "warning: " + message);
                next.warning(message);
            }
        };
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to write
        }
    }
}
