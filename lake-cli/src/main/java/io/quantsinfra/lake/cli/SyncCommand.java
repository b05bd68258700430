package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code sync}: mirrors one profile, or every enabled one. */
@Parameters(commandDescription = "Mirror a profile's remote tree into the lake (--dry-run shows the plan)")
final class SyncCommand implements Command {
    /** How long a SIGINT/SIGTERM waits for the run to record its checkpoint. */
    private static final long SIGNAL_GRACE_SECONDS = 30;

    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @ParametersDelegate
    private final ProfileSelection selection = new ProfileSelection();

    @Parameter(names = {"-n", "--dry-run"}, description = "Show what would be transferred and deleted; change nothing")
    private boolean dryRun;

    @Parameter(names = "--no-cleanup", description = "Skip the retention cleanup that follows a sync")
    private boolean noCleanup;

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake sync cex_ticks\n"
                + "  quants-infra data-lake sync cex_ticks --dry-run\n"
                + "  quants-infra data-lake sync --all --config /etc/quants-infra/data_lake.yml\n"
                + "  quants-infra data-lake sync cex_ticks --no-cleanup";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        selection.rejectUnknownOptions();
        Optional<DataLakeConfig> loaded = t.validConfig(common);
        if (loaded.isEmpty()) {
            return ExitCode.USAGE;
        }
        DataLakeConfig config = loaded.get();
        List<Profile> selected = selection.select(config);
        if (selected.isEmpty()) {
            t.err().println("nothing to do: no profile is enabled in " + t.configPath(common));
        }
        DataLake lake = new DataLake(config);
        Cancellation cancellation = new Cancellation();
        SyncOptions options = SyncOptions.defaults().withEnv(t.env()).withDryRun(dryRun)
                .withCleanup(!noCleanup).withCancellation(cancellation);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancellation.cancel();
            try {
                finished.await(SIGNAL_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quants-infra-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int worst = ExitCode.OK;
            for (int i = 0; i < selected.size() && !cancellation.isCancelled(); i++) {
                if (i > 0) {
                    t.out().println();
                }
                worst = Math.max(worst, syncOne(t, lake, selected.get(i), options));
            }
            return worst;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
    }

    private int syncOne(Terminal t, DataLake lake, Profile profile, SyncOptions options) {
        boolean perFile = common.verbose || profile.rsync().verbosity() > 0; // -v on the command line or in rsync_args
        SyncPrinter printer = new SyncPrinter(t.out(), t.err(), perFile, t.zone());
        printer.header(profile);
        try {
            SyncReport r = lake.sync(profile.name(), options, printer);
            printer.summary(r);
            return switch (r.status()) {
                case SUCCESS -> ExitCode.OK;
                case INTERRUPTED -> ExitCode.INTERRUPTED;
                default -> ExitCode.PARTIAL;
            };
        } catch (LakeException e) {
            t.out().println("✗ Sync failed: " + e.getMessage());
            e.hint().ifPresent(h -> t.out().println("  hint: " + h));
            if (common.verbose) {
                e.printStackTrace(t.err());
            }
            return ExitCode.of(e.kind());
        }
    }
}
