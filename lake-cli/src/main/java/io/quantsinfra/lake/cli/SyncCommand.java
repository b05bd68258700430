package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.Profile;
import java.io.PrintStream;
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

    @ParametersDelegate
    private final OutputFormat format = new OutputFormat();

    @Parameter(names = {"-n", "--dry-run"}, description = "Show what would be transferred and deleted; change nothing")
    private boolean dryRun;

    @Parameter(names = "--no-cleanup", description = "Skip the retention cleanup that follows a sync")
    private boolean noCleanup;

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public boolean mayConnect() {
        return true;
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake sync cex_ticks\n"
                + "  quants-infra data-lake sync cex_ticks --dry-run\n"
                + "  quants-infra data-lake sync --all --config /etc/quants-infra/data_lake.yml\n"
                + "  quants-infra data-lake sync cex_ticks --no-cleanup\n"
                + "  quants-infra data-lake sync --all --format json";
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
        List<Profile> selected = chosen.get().profiles();
        DataLake lake = new DataLake(chosen.get().config());
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
            ObjectNode document = JsonReport.document();
            for (int i = 0; i < selected.size() && !cancellation.isCancelled(); i++) {
                if (i > 0 && !json && !common.quiet) {
                    t.out().println();
                }
                ObjectNode result = json ? JsonReport.profiles(document).addObject() : null;
                worst = Math.max(worst, syncOne(t, lake, selected.get(i), options, result));
            }
            if (json) {
                t.out().println(JsonReport.text(document.put("exit_code", worst)));
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

    /** Syncs one profile and prints it as text, or fills {@code json} with it when that is not null. */
    private int syncOne(Terminal t, DataLake lake, Profile profile, SyncOptions options, ObjectNode json) {
        boolean perFile = common.verbose || profile.rsync().verbosity() > 0; // -v on the command line or in rsync_args
        boolean quiet = json != null || common.quiet;
        SyncPrinter printer = new SyncPrinter(t, perFile, quiet);
        if (!quiet) {
            printer.header(profile);
        }
        try {
            SyncReport r;
            try {
                r = lake.sync(profile.name(), options, printer);
            } finally {
                printer.clearProgress();
            }
            int code = switch (r.status()) {
                case SUCCESS -> ExitCode.OK;
                case INTERRUPTED -> ExitCode.INTERRUPTED;
                default -> ExitCode.PARTIAL;
            };
            if (json != null) {
                JsonReport.sync(json, r, code);
            } else if (!quiet) {
                printer.summary(r);
            } else if (code != ExitCode.OK) {
                t.err().println(profile.name() + ": " + SyncPrinter.verdict(r));
            }
            return code;
        } catch (LakeException e) {
            return failed(t, profile, json, quiet, e.getMessage(), e.hint(), ExitCode.of(e.kind()), e);
        } catch (RuntimeException e) {
            // a bug: it fails this profile alone, so that --all goes on and its JSON is printed
            return failed(t, profile, json, quiet, "internal error: " + e, Optional.of("please report it with the"
                    + " --verbose output" + (common.verbose ? "" : " (run with --verbose for the stack trace)")),
                    ExitCode.INTERNAL, e);
        }
    }

    /** Reports a profile that failed as a whole, and returns its exit code. */
    private int failed(Terminal t, Profile profile, ObjectNode json, boolean quiet, String message, Optional<String> hint,
                       int code, RuntimeException cause) {
        if (json != null) {
            JsonReport.failure(json, profile.name(), message, hint, code);
        } else {
            PrintStream to = quiet ? t.err() : t.out();
            to.println((quiet ? profile.name() + ": " : "") + "✗ Sync failed: " + message);
            hint.ifPresent(h -> to.println("  hint: " + h));
        }
        if (common.verbose) {
            cause.printStackTrace(t.err());
        }
        return code;
    }
}
