package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.Units;
import java.io.PrintStream;
import java.util.List;

/** Prints a retention cleanup as the seed's scenario 3 shows it, for {@code cleanup} and after a sync. */
final class CleanupPrinter {
    private static final int SHOWN = 10;

    private CleanupPrinter() {
    }

    /** The cleanup section; long lists are cut at ten names unless {@code verbose}. */
    static void print(PrintStream out, CleanupReport r, boolean verbose) {
        if (r.cutoff().isEmpty()) {
            out.println("Cleaning up old data: retention_days is 0, data is kept forever");
            return;
        }
        out.println("Cleaning up old data (retention: " + r.retentionDays() + " days)...");
        out.println("Cutoff date: " + r.cutoff().get());
        int n = r.expired().size();
        out.println((r.dryRun() ? "Would delete: " : "Deleted: ") + Units.count(n) + (n == 1 ? " directory" : " directories"));
        List<CleanupReport.Expired> shown = verbose ? r.expired() : r.expired().subList(0, Math.min(SHOWN, n));
        for (CleanupReport.Expired e : shown) {
            out.println("  " + e.name() + "  (" + Units.bytes(e.bytes()) + ")");
        }
        if (shown.size() < n) {
            out.println("  ... and " + (n - shown.size()) + " more (--verbose lists all)");
        }
        out.println((r.dryRun() ? "Would free: " : "Freed space: ") + Units.bytes(r.bytesFreed()));
        if (r.dryRun() || verbose) {
            for (String name : r.unknownDate()) {
                out.println("  kept: " + name + "  (unknown date)");
            }
        }
        errors(out, r);
    }

    /** One line per directory that could not be deleted. */
    static void errors(PrintStream out, CleanupReport r) {
        for (PathError e : r.errors()) {
            out.println("  ✗ " + e.path() + ": " + e.message());
        }
    }
}
