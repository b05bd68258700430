package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.config.Profile;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Prints one profile's sync as the seed's scenarios show it: header, last sync state, counts,
 * duration, deletions, and a ✓ or ✗ line. With {@code --verbose} it also prints a line per file.
 */
final class SyncPrinter implements SyncListener {
    private static final String RULE = "=".repeat(80);
    private static final int MAX_ERRORS_SHOWN = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME_ZONE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final PrintStream out;
    private final PrintStream err;
    private final boolean verbose;
    private final boolean quiet;
    private final Supplier<ZoneId> zones;
    private final Optional<ProgressLine> progress;
    private final Map<String, String> env;
    /** The profile and start of the header until it is printed; guarded by this. */
    private Profile headerProfile;
    private Instant headerStart;

    /**
     * @param t       where to print; when it is interactive and not {@code quiet}, a live progress
     *                line is drawn on its stderr
     * @param verbose a line per file transferred or deleted
     * @param quiet   nothing on stdout while the run goes on (errors and warnings still go to
     *                stderr), for {@code --quiet} and {@code --format json}
     */
    SyncPrinter(Terminal t, boolean verbose, boolean quiet) {
        this.out = t.out();
        this.err = t.err();
        this.verbose = verbose && !quiet;
        this.quiet = quiet;
        this.zones = t.zones();
        this.env = t.env();
        this.progress = t.interactive() && !quiet ? Optional.of(new ProgressLine(t.err())) : Optional.empty();
    }

    /** Erases the progress line, if any: before any other line, and when the run is over. */
    void clearProgress() {
        progress.ifPresent(ProgressLine::clear);
    }

    @Override
    public void planned(SyncPlan plan) {
        progress.ifPresent(p -> p.planned(plan));
    }

    @Override
    public void fileStarted(String path, long size, long offset) {
        progress.ifPresent(p -> p.fileStarted(path));
    }

    @Override
    public void bytesTransferred(String path, long bytes) {
        progress.ifPresent(p -> p.bytes(bytes));
    }

    /** The title every per-profile section starts with: the name over a rule, as in the seed. */
    static void title(PrintStream out, String profile) {
        out.println("Profile: " + profile);
        out.println(RULE);
    }

    /**
     * The profile header: the remote as the connection reaches it, with ssh_config, and when the
     * run started, so that a log of many runs says which is which. It is printed with the run's
     * first line ({@link #printHeader}), once the connection is on its way: working out the remote
     * and loading the time zone took 30 ms that every run waited for before connecting.
     */
    synchronized void header(Profile p, Instant start) {
        headerProfile = p;
        headerStart = start;
    }

    /** Prints the header if it still waits: before any line of the run, on whichever thread prints first. */
    synchronized void printHeader() {
        Profile p = headerProfile;
        if (p == null) {
            return;
        }
        headerProfile = null;
        clearProgress();
        title(out, p.name());
        out.println("Remote:  " + ConnectionOrigins.of(p, env).remote());
        out.println((p.localDir().isPresent() ? "Local:   " : "Bucket:  ") + p.location());
        out.println("Started: " + TIME_ZONE.format(headerStart.atZone(zones.get())));
    }

    @Override
    public void started(Checkpoint previous) {
        if (quiet) {
            return;
        }
        printHeader();
        out.println("Last sync: " + lastSync(previous));
        if (SyncReport.hasWorkToResume(previous)) {
            out.println("Resuming from checkpoint...");
        }
    }

    /** {@code 2024-11-28 14:30:45 (success)}, or {@code never}. */
    String lastSync(Checkpoint c) {
        if (c.lastSyncStatus() == null) {
            return "never";
        }
        Instant when = c.lastSyncStatus() == Checkpoint.Status.RUNNING || c.lastSyncTime() == null ? c.startedAt() : c.lastSyncTime();
        String state = switch (c.lastSyncStatus()) {
            case RUNNING, INTERRUPTED -> "incomplete";
            default -> c.lastSyncStatus().word();
        };
        return (when == null ? "unknown time" : TIME.format(when.atZone(zones.get()))) + " (" + state + ")";
    }

    @Override
    public void fileDone(String path, long bytesTransferred) {
        if (verbose) {
            printHeader();
            clearProgress();
            out.println("  + " + path + "  " + Units.bytes(bytesTransferred));
        }
        progress.ifPresent(ProgressLine::fileDone);
    }

    @Override
    public void fileHeldBack(String path, String reason) {
        if (verbose) {
            printHeader();
            clearProgress();
            out.println("  ~ " + path + "  held back: " + reason + "; retried next run");
        }
        progress.ifPresent(ProgressLine::fileDone);
    }

    @Override
    public void fileFailed(PathError error) {
        printHeader();
        clearProgress();
        err.println("  ✗ " + error.path() + ": " + error.message());
        progress.ifPresent(ProgressLine::fileDone);
    }

    @Override
    public void deleted(String path) {
        if (verbose) {
            printHeader();
            clearProgress();
            out.println("  - " + path);
        }
    }

    @Override
    public void reconnected(int attempt, String reason) {
        printHeader();
        clearProgress();
        err.println("  ↻ reconnected (attempt " + attempt + ") after: " + reason);
    }

    @Override
    public void warning(String message) {
        printHeader();
        clearProgress();
        err.println("warning: " + message);
    }

    /** What a dry run would do. */
    void plan(SyncPlan plan) {
        out.println("Dry run: nothing is changed.");
        out.println("Would transfer: " + Units.count(plan.transfers().size()) + " files, " + Units.bytes(plan.bytesToTransfer())
                + " (remote holds " + Units.count(plan.remoteFiles()) + " files, " + Units.bytes(plan.remoteBytes()) + ")");
        for (SyncPlan.Transfer t : plan.transfers()) {
            out.println("  + " + t.path() + "  " + Units.bytes(t.size()) + "  " + t.reason());
        }
        List<String> dirs = plan.directoriesToCreate();
        if (!dirs.isEmpty()) {
            out.println("Would create: " + Units.count(dirs.size()) + " directories");
        }
        for (SyncPlan.Link l : plan.links()) {
            out.println("  @ " + l.path() + " -> " + l.target());
        }
        if (!plan.deletions().isEmpty()) {
            out.println("Would delete: " + Units.count(plan.deletions().size()) + " entries"
                    + plan.deletionBlocked().map(b -> " — but deletion is refused: " + b).orElse(""));
            for (SyncPlan.Deletion d : plan.deletions()) {
                out.println("  - " + d.path() + "  " + d.reason());
            }
        }
        kept(plan, true);
        expired(plan);
        for (SyncPlan.Skip s : plan.skips()) {
            out.println("  · " + s.path() + "  skipped: " + s.reason());
        }
        for (PathError e : plan.errors()) {
            out.println("  ✗ " + e.path() + ": " + e.message());
        }
    }

    /**
     * The local directories {@code --delete} keeps although the remote no longer has them: a
     * count, and with {@code each} a line per directory with the rule that keeps it.
     */
    private void kept(SyncPlan plan, boolean each) {
        if (plan.kept().isEmpty()) {
            return;
        }
        out.println("Kept: " + Units.count(plan.kept().size())
                + (plan.kept().size() == 1 ? " directory" : " directories") + " the remote no longer has (the collector"
                + " purged them; retention decides)" + (each ? ":" : "; -v lists them"));
        if (each) {
            for (SyncPlan.Kept k : plan.kept()) {
                out.println("  = " + k.path() + "  " + k.reason());
            }
        }
    }

    /** One line for the remote directories the retention window kept out of the sync. */
    private void expired(SyncPlan plan) {
        if (!plan.expired().isEmpty()) {
            out.println("Skipped: " + Units.count(plan.expired().size())
                    + " remote directories older than the retention window (neither listed nor transferred)");
        }
    }

    /** The counts and the ✓/✗ line of a finished run. */
    void summary(SyncReport r) {
        printHeader();
        if (r.dryRun()) {
            plan(r.plan());
            r.cleanup().ifPresent(c -> CleanupPrinter.print(out, c, verbose));
            out.println("✓ Dry run completed in " + Units.duration(r.duration()));
            return;
        }
        out.println("Files transferred: " + Units.count(r.filesTransferred())
                + (r.resumedFromCheckpoint() || r.filesResumed() > 0 ? " (resumed)" : ""));
        expired(r.plan());
        out.println("Bytes transferred: " + Units.bytes(r.bytesTransferred()));
        out.println("Duration: " + Units.duration(r.duration()));
        if (r.reconnects() > 0) {
            out.println("Reconnects: " + r.reconnects());
        }
        out.println("Deleted: " + Units.count(r.filesDeleted()) + (r.filesDeleted() == 1 ? " entry" : " entries")
                + r.deletionBlocked().map(b -> " (deletion refused: " + b + ")").orElse(""));
        kept(r.plan(), verbose);
        heldBack(r);
        List<PathError> errors = r.errors();
        if (!errors.isEmpty()) {
            out.println("Errors: " + Units.count(errors.size()));
            errors.stream().limit(MAX_ERRORS_SHOWN).forEach(e -> out.println("  ✗ " + (e.path().isEmpty() ? "" : e.path() + ": ") + e.message()));
            if (errors.size() > MAX_ERRORS_SHOWN) {
                out.println("  ... and " + (errors.size() - MAX_ERRORS_SHOWN) + " more (all are in the checkpoint file)");
            }
        }
        out.println("Updating checkpoint...");
        r.cleanup().ifPresent(c -> CleanupPrinter.print(out, c, verbose));
        out.println(verdict(r));
    }

    /** The Parquet parts not published because they are not complete yet: not errors, but named. */
    private void heldBack(SyncReport r) {
        List<Checkpoint.HeldBack> held = r.heldBack();
        if (held.isEmpty()) {
            return;
        }
        out.println("Held back: " + Units.count(held.size()) + (held.size() == 1 ? " Parquet part" : " Parquet parts")
                + " not complete yet (a collector is still writing; retried next run)");
        held.stream().limit(MAX_ERRORS_SHOWN).forEach(h -> out.println("  ~ " + h.path() + ": " + h.reason()));
        if (held.size() > MAX_ERRORS_SHOWN) {
            out.println("  ... and " + (held.size() - MAX_ERRORS_SHOWN) + " more (all are in the checkpoint file)");
        }
    }

    /** The ✓ or ✗ line that ends a finished run's report. */
    static String verdict(SyncReport r) {
        List<PathError> errors = r.errors();
        return switch (r.status()) {
            case SUCCESS -> "✓ Sync completed successfully";
            case INTERRUPTED -> "✗ Sync interrupted; the next run resumes where this one stopped";
            default -> "✗ Sync partly failed: " + (errors.isEmpty() ? r.deletionBlocked().orElse("see above")
                    : errors.size() + (errors.size() == 1 ? " error" : " errors") + "; the next run retries");
        };
    }
}
