package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code stats}: what each profile's local lake holds, as a table or one JSON document. */
@Parameters(commandDescription = "Show size, files, rows, date range, last sync and retention of a profile's local lake")
final class StatsCommand implements Command {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @ParametersDelegate
    private final ProfileSelection selection = new ProfileSelection();

    @ParametersDelegate
    private final OutputFormat format = new OutputFormat();

    private final Clock clock;

    StatsCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake stats cex_ticks\n"
                + "  quants-infra data-lake stats --all --format json";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        boolean json = format.json();
        Optional<ProfileSelection.Chosen> chosen = selection.load(t, common, json);
        if (chosen.isEmpty()) {
            return ExitCode.USAGE;
        }
        DataLake lake = Lakes.open(chosen.get().config(), t.env());
        List<Stats> all = new ArrayList<>();
        for (Profile p : chosen.get().profiles()) {
            all.add(lake.stats(p.name(), clock));
        }
        if (json) {
            t.out().println(json(all));
        } else {
            for (int i = 0; i < all.size(); i++) {
                if (i > 0) {
                    t.out().println();
                }
                table(t, all.get(i));
            }
        }
        return ExitCode.OK;
    }

    private void table(Terminal t, Stats s) {
        Checkpoint c = s.checkpoint();
        SyncPrinter.title(t.out(), s.profile());
        row(t, "Local path", s.location() + (s.localExists() ? "" : " (not created yet)"));
        row(t, "Remote source", s.remoteSource());
        row(t, "Data size", Units.bytes(s.dataBytes()));
        row(t, "Files", Units.count(s.files()));
        row(t, "Rows", Units.count(s.rows()) + (s.partsUnread() == 0 ? "" : " (" + Units.count(s.partsUnread())
                + (s.partsUnread() == 1 ? " Parquet part" : " Parquet parts") + " without a readable footer not counted)"));
        if (common.verbose) {
            s.rowsByDate().forEach((date, rows) -> t.out().printf("  %-14s %s%n", date, Units.count(rows)));
        }
        row(t, "Earliest data", s.earliestDate().map(Object::toString).orElse("none"));
        row(t, "Latest data", s.latestDate().map(Object::toString).orElse("none"));
        Instant last = c.lastSyncTime() != null ? c.lastSyncTime() : c.startedAt();
        row(t, "Last sync", c.lastSyncStatus() == null || last == null ? "never"
                : TIME.format(last.atZone(t.zone())) + " (" + Units.ago(Duration.between(last, clock.instant())) + ", "
                + (c.lastSyncStatus() == Checkpoint.Status.RUNNING ? "running or incomplete" : c.lastSyncStatus().word()) + ")");
        row(t, "Retention", s.retentionDays() == 0 ? "forever" : s.retentionDays() + " days (cutoff " + s.cutoff().orElseThrow() + ")");
        row(t, "Partial files", Units.count(s.partialFiles()) + (s.partialFiles() == 0 ? ""
                : " waiting for resume (" + Units.bytes(s.partialBytes()) + " held)"));
        if (!c.heldBack().isEmpty()) {
            row(t, "Held back", Units.count(c.heldBack().size()) + (c.heldBack().size() == 1 ? " Parquet part" : " Parquet parts")
                    + " not complete at the last sync");
            if (common.verbose) {
                c.heldBack().forEach(h -> t.out().printf("  %s: %s (since %s)%n", h.path(), h.reason(),
                        TIME.format(h.since().atZone(t.zone()))));
            }
        }
        row(t, "Expired", Units.count(s.expiredDirectories().size()) + " directories waiting for cleanup"
                + (s.expiredDirectories().isEmpty() ? "" : " (" + Units.bytes(s.expiredBytes()) + ")"));
    }

    private static void row(Terminal t, String label, String value) {
        t.out().printf("%-16s %s%n", label + ":", value);
    }

    /** One document for any number of profiles; the schema is documented in docs/json.md. */
    private static String json(List<Stats> all) {
        ObjectNode doc = JsonReport.document();
        ArrayNode profiles = JsonReport.profiles(doc);
        for (Stats s : all) {
            Checkpoint c = s.checkpoint();
            ObjectNode o = profiles.addObject();
            o.put("profile", s.profile());
            o.put("local_path", s.location());
            o.put("local_exists", s.localExists());
            o.put("remote_source", s.remoteSource());
            o.put("data_bytes", s.dataBytes());
            o.put("files", s.files());
            o.put("rows", s.rows());
            ObjectNode byDate = o.putObject("rows_by_date");
            s.rowsByDate().forEach((date, rows) -> byDate.put(date.toString(), rows));
            o.put("parquet_parts_unread", s.partsUnread());
            o.put("earliest_date", s.earliestDate().map(Object::toString).orElse(null));
            o.put("latest_date", s.latestDate().map(Object::toString).orElse(null));
            o.put("last_sync_time", JsonReport.iso(c.lastSyncTime()));
            o.put("last_sync_status", c.lastSyncStatus() == null ? null : c.lastSyncStatus().word());
            o.put("last_success_time", JsonReport.iso(c.lastSuccessTime()));
            o.put("last_cleanup_time", JsonReport.iso(c.lastCleanupTime()));
            o.put("retention_days", s.retentionDays());
            o.put("cutoff_date", s.cutoff().map(Object::toString).orElse(null));
            o.put("partial_files", s.partialFiles());
            o.put("partial_bytes", s.partialBytes());
            ArrayNode held = o.putArray("held_back");
            c.heldBack().forEach(h -> held.addObject().put("path", h.path()).put("reason", h.reason())
                    .put("remote_size", h.remoteSize()).put("since", JsonReport.iso(h.since())));
            ArrayNode expired = o.putArray("expired_directories");
            s.expiredDirectories().stream().sorted().forEach(expired::add);
            o.put("expired_bytes", s.expiredBytes());
        }
        return JsonReport.text(doc);
    }
}
