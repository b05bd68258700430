package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.util.List;
import java.util.Optional;

/** {@code cleanup}: deletes the directories older than each profile's retention window. */
@Parameters(commandDescription = "Delete dated directories older than the retention window (--dry-run shows them)")
final class CleanupCommand implements Command {
    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @ParametersDelegate
    private final ProfileSelection selection = new ProfileSelection();

    @Parameter(names = {"-n", "--dry-run"}, description = "Show what would be deleted and how many bytes; delete nothing")
    private boolean dryRun;

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake cleanup cex_ticks --dry-run\n"
                + "  quants-infra data-lake cleanup --all";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        selection.rejectUnknownOptions();
        Optional<DataLakeConfig> config = t.validConfig(common);
        if (config.isEmpty()) {
            return ExitCode.USAGE;
        }
        DataLake lake = new DataLake(config.get());
        SyncOptions options = SyncOptions.defaults().withDryRun(dryRun);
        int worst = ExitCode.OK;
        boolean first = true;
        List<Profile> selected = selection.select(config.get());
        if (selected.isEmpty()) {
            t.err().println("nothing to do: no profile is enabled in " + t.configPath(common));
        }
        for (Profile p : selected) {
            if (!first) {
                t.out().println();
            }
            first = false;
            t.out().println("Profile: " + p.name());
            t.out().println(SyncPrinter.RULE);
            try {
                CleanupReport r = lake.cleanup(p.name(), options, new SyncPrinter(t.out(), t.err(), common.verbose, t.zone()));
                CleanupPrinter.print(t.out(), r, common.verbose);
                if (r.errors().isEmpty()) {
                    t.out().println(dryRun ? "✓ Dry run: nothing was deleted" : "✓ Cleanup completed");
                } else {
                    t.out().println("✗ Cleanup partly failed: " + r.errors().size() + " directories could not be deleted");
                    worst = Math.max(worst, ExitCode.PARTIAL);
                }
            } catch (LakeException e) {
                t.out().println("✗ Cleanup failed: " + e.getMessage());
                e.hint().ifPresent(h -> t.out().println("  hint: " + h));
                worst = Math.max(worst, ExitCode.of(e.kind()));
            }
        }
        return worst;
    }
}
