package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.retention.Cleanup;
import java.util.List;
import java.util.Optional;

/** {@code cleanup}: deletes the directories older than each profile's retention window. */
@Parameters(commandDescription = "Delete dated directories older than the retention window (--dry-run shows them)")
final class CleanupCommand implements Command {
    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @ParametersDelegate
    private final ProfileSelection selection = new ProfileSelection();

    @ParametersDelegate
    private final OutputFormat format = new OutputFormat();

    @Parameter(names = {"-n", "--dry-run"}, description = "Show what would be deleted and how many bytes; delete nothing")
    private boolean dryRun;

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake cleanup cex_ticks --dry-run\n"
                + "  quants-infra data-lake cleanup --all\n"
                + "  quants-infra data-lake cleanup --all --format json";
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
        SyncOptions options = SyncOptions.defaults().withDryRun(dryRun);
        int worst = ExitCode.OK;
        List<Profile> selected = chosen.get().profiles();
        ObjectNode document = JsonReport.document();
        for (int i = 0; i < selected.size(); i++) {
            Profile p = selected.get(i);
            if (!json && !common.quiet) {
                if (i > 0) {
                    t.out().println();
                }
                SyncPrinter.title(t.out(), p.name());
            }
            ObjectNode result = json ? JsonReport.profiles(document).addObject() : null;
            worst = Math.max(worst, cleanupOne(t, lake, p, options, result));
        }
        if (json) {
            t.out().println(JsonReport.text(document.put("exit_code", worst)));
        }
        return worst;
    }

    /** Cleans one profile up and prints it as text, or fills {@code json} with it when that is not null. */
    private int cleanupOne(Terminal t, DataLake lake, Profile p, SyncOptions options, ObjectNode json) {
        try {
            CleanupReport r = lake.cleanup(p.name(), options, new SyncPrinter(t, common.verbose, true));
            int code = r.errors().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
            if (json != null) {
                JsonReport.cleanup(json, r, code);
                return code;
            }
            String partly = "✗ Cleanup partly failed: " + r.errors().size() + " directories could not be deleted";
            if (common.quiet) {
                if (!r.errors().isEmpty()) {
                    CleanupPrinter.errors(t.err(), r);
                    t.err().println(p.name() + ": " + partly);
                }
                return code;
            }
            CleanupPrinter.print(t.out(), r, common.verbose);
            t.out().println(!r.errors().isEmpty() ? partly : dryRun ? "✓ Dry run: nothing was deleted" : "✓ Cleanup completed");
            return code;
        } catch (LakeException e) {
            int code = ExitCode.of(e.kind());
            if (json != null) {
                JsonReport.failure(json, p.name(), e, code);
            } else {
                t.err().println((common.quiet ? p.name() + ": " : "") + "✗ Cleanup failed: " + e.getMessage());
                e.hint().ifPresent(h -> t.err().println("  hint: " + h));
            }
            return code;
        }
    }
}
