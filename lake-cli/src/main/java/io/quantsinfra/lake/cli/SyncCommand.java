package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.ConfigReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code sync}: mirrors one profile, or every enabled one. */
@Parameters(commandDescription = "Mirror a profile's remote tree into the lake (--dry-run shows the plan)")
final class SyncCommand implements Command {
    /** How long a SIGINT/SIGTERM waits for the run to record its checkpoint. */
    private static final long SIGNAL_GRACE_SECONDS = 30;

    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @Parameter(description = "PROFILE")
    private List<String> profiles = new ArrayList<>();

    @Parameter(names = "--all", description = "Sync every enabled profile, carrying on past failures")
    private boolean all;

    @Parameter(names = {"-n", "--dry-run"}, description = "Show what would be transferred and deleted; change nothing")
    private boolean dryRun;

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake sync cex_ticks\n"
                + "  quants-infra data-lake sync cex_ticks --dry-run\n"
                + "  quants-infra data-lake sync --all --config /etc/quants-infra/data_lake.yml";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        rejectUnknownOptions();
        ConfigReport report = t.loadConfig(common);
        if (!report.isValid()) {
            t.printProblems(t.configPath(common).toString(), report);
            return ExitCode.USAGE;
        }
        if (common.verbose) {
            t.warn(report.warnings());
        }
        DataLakeConfig config = report.orThrow();
        List<Profile> selected = select(config);
        DataLake lake = new DataLake(config);
        Cancellation cancellation = new Cancellation();
        SyncOptions options = SyncOptions.defaults().withEnv(t.env()).withDryRun(dryRun).withCancellation(cancellation);
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

    /**
     * JCommander hands an unknown option to the main parameter, where it would be taken for a
     * profile name ({@code --dryrun}, or {@code --config=PATH} while the default config is read).
     */
    private void rejectUnknownOptions() {
        for (String arg : profiles) {
            if (arg.startsWith("-")) {
                throw new ParameterException("unknown option '" + arg + "'"
                        + (arg.contains("=") ? "; an option's value follows it after a space, e.g. --config PATH" : ""));
            }
        }
    }

    private List<Profile> select(DataLakeConfig config) {
        if (all == !profiles.isEmpty()) {
            throw new ParameterException(all ? "give either --all or profile names, not both"
                    : "name a profile to sync, or --all; profiles: " + String.join(", ", config.profiles().keySet()));
        }
        if (all) {
            return config.enabledProfiles();
        }
        List<Profile> chosen = new ArrayList<>();
        for (String name : profiles) {
            chosen.add(config.profile(name).orElseThrow(() -> new LakeException(LakeException.Kind.CONFIG, name,
                    "unknown profile \"" + name + "\"; profiles: " + String.join(", ", config.profiles().keySet()),
                    "check the name, or run: quants-infra data-lake validate")));
        }
        return chosen;
    }

    private int syncOne(Terminal t, DataLake lake, Profile profile, SyncOptions options) {
        SyncPrinter printer = new SyncPrinter(t.out(), t.err(), common.verbose, t.zone());
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
