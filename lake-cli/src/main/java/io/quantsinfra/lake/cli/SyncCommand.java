package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.RsyncArgs;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/** {@code sync}: mirrors one profile, or every enabled one. */
@Parameters(commandDescription = "Mirror a profile's remote tree into the lake (--dry-run shows the plan)")
final class SyncCommand implements Command {
    /** Profiles synced at once by default: see docs/operations.md. */
    static final int DEFAULT_JOBS = 8;
    /** The code of a profile a signal stopped before it started. */
    private static final int NOT_STARTED = -1;

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

    @Parameter(names = {"-j", "--jobs"}, description = "Profiles synced at once; they share threads, memory and one"
            + " connection per host (default " + DEFAULT_JOBS + ")")
    private int jobs = DEFAULT_JOBS;

    @Parameter(names = "--log-file", description = "Also append timestamped lines (start, failures, warnings, outcome)"
            + " of each profile to this file, as rsync's --log-file does")
    private String logFile;

    /** Makes the lake the profiles sync through: the real one, or a test's. */
    private final BiFunction<DataLakeConfig, Map<String, String>, DataLake> lakes;

    SyncCommand() {
        this(Lakes::open);
    }

    /** @param lakes makes the lake of a configuration, given the run's environment (credentials) */
    SyncCommand(BiFunction<DataLakeConfig, Map<String, String>, DataLake> lakes) {
        this.lakes = lakes;
    }

    /** The --log-file, while the command runs. */
    private Optional<LogFile> log = Optional.empty();

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
    public String moreHelp() {
        return "rsync_args (per profile, in the config) takes rsync's flags:\n"
                + String.join("\n", CommandHelp.wrap(RsyncArgs.SUPPORTED, 96).stream().map(l -> "  " + l).toList()) + "\n"
                + "  docs/configuration.md says what each does here.\n";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        if (jobs < 1) {
            throw new ParameterException("--jobs must be at least 1, got " + jobs);
        }
        boolean json = format.json();
        Optional<ProfileSelection.Chosen> chosen = selection.load(t, common, json);
        if (chosen.isEmpty()) {
            return ExitCode.USAGE;
        }
        List<Profile> selected = chosen.get().profiles();
        DataLake lake = lakes.apply(chosen.get().config(), t.env());
        Cancellation cancellation = new Cancellation();
        SyncOptions options = SyncOptions.defaults().withEnv(t.env()).withDryRun(dryRun)
                .withCleanup(!noCleanup).withCancellation(cancellation);
        if (logFile != null) {
            try {
                log = Optional.of(LogFile.open(t.cwd().resolve(logFile), Clock.systemUTC()));
            } catch (IOException e) {
                t.err().println("✗ cannot open the --log-file " + t.cwd().resolve(logFile) + ": " + e);
                t.err().println("  hint: check that its directory exists and this user may write there");
                return ExitCode.LOCAL_STORAGE;
            }
        }
        try (SignalStop signals = new SignalStop(cancellation)) {
            ObjectNode document = JsonReport.document();
            List<ObjectNode> results = new ArrayList<>();
            for (int i = 0; i < selected.size() && json; i++) {
                results.add(JsonReport.profiles(document).addObject()); // in config order, whatever order they end in
            }
            int[] codes = Math.min(jobs, selected.size()) <= 1
                    ? oneAtATime(t, lake, selected, options, results)
                    : atOnce(t, lake, selected, options, results);
            int worst = ExitCode.OK;
            List<String> notStarted = new ArrayList<>();
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == NOT_STARTED) {
                    notStarted.add(selected.get(i).name());
                    codes[i] = ExitCode.INTERRUPTED;
                    if (json) {
                        JsonReport.notStarted(results.get(i), selected.get(i).name(), ExitCode.INTERRUPTED);
                    }
                }
                worst = Math.max(worst, codes[i]);
            }
            notStarted.forEach(name -> log.ifPresent(l -> l.line(name, "interrupted before it started")));
            if (!notStarted.isEmpty() && !json) {
                t.err().println("interrupted before they started: " + String.join(", ", notStarted));
            }
            if (json) {
                t.out().println(JsonReport.text(document.put("exit_code", worst)));
            }
            signals.done(worst);
            return worst;
        } finally {
            log.ifPresent(LogFile::close);
        }
    }

    /** Syncs the profiles one after the other, printing as they go; the exit code of each, or {@link #NOT_STARTED}. */
    private int[] oneAtATime(Terminal t, DataLake lake, List<Profile> selected, SyncOptions options, List<ObjectNode> results) {
        int[] codes = new int[selected.size()];
        Arrays.fill(codes, NOT_STARTED);
        for (int i = 0; i < selected.size() && !options.cancellation().isCancelled(); i++) {
            if (i > 0 && !format.json() && !common.quiet) {
                t.out().println();
            }
            codes[i] = syncOne(t, lake, selected.get(i), options, format.json() ? results.get(i) : null);
        }
        return codes;
    }

    /**
     * Syncs up to {@code --jobs} profiles at once. Each one's report is held and printed whole
     * when it ends; a terminal shows a live line of the profiles running meanwhile.
     */
    private int[] atOnce(Terminal t, DataLake lake, List<Profile> selected, SyncOptions options, List<ObjectNode> results) {
        boolean text = !format.json() && !common.quiet;
        Optional<FleetLine> line = t.interactive() && text ? Optional.of(new FleetLine(t.err(), selected.size())) : Optional.empty();
        Object printing = new Object();
        boolean[] printedAny = {false};
        ExecutorService runner = Executors.newFixedThreadPool(Math.min(jobs, selected.size()), r -> {
            Thread thread = new Thread(r, "quants-infra-job");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Integer>> running = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                Profile profile = selected.get(i);
                ObjectNode result = format.json() ? results.get(i) : null;
                running.add(runner.submit(() -> {
                    if (options.cancellation().isCancelled()) {
                        return NOT_STARTED;
                    }
                    line.ifPresent(l -> l.started(profile.name()));
                    HeldOutput held = new HeldOutput(t);
                    int code = syncOne(held.terminal(), lake, profile, options, result);
                    synchronized (printing) {
                        line.ifPresent(l -> l.ended(profile.name()));
                        if (printedAny[0] && text && held.printed()) {
                            t.out().println();
                        }
                        printedAny[0] |= held.printed();
                        held.printTo(t);
                        line.ifPresent(FleetLine::redraw);
                    }
                    return code;
                }));
            }
            int[] codes = new int[selected.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = join(running.get(i));
            }
            return codes;
        } finally {
            runner.shutdownNow();
            line.ifPresent(FleetLine::clear);
        }
    }

    /** The exit code a profile's job returned; a job fails only on an Error, which is thrown on. */
    private static int join(Future<Integer> job) {
        try {
            return job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Syncs one profile and prints it as text, or fills {@code json} with it when that is not null. */
    private int syncOne(Terminal t, DataLake lake, Profile profile, SyncOptions options, ObjectNode json) {
        boolean perFile = common.verbose || profile.rsync().verbosity() > 0; // -v on the command line or in rsync_args
        boolean quiet = json != null || common.quiet;
        SyncPrinter printer = new SyncPrinter(t, perFile, quiet);
        Instant started = Instant.now();
        if (!quiet) {
            printer.header(profile, started);
        }
        log.ifPresent(l -> l.line(profile.name(), "sync started" + (dryRun ? " (dry run)" : "")));
        try {
            SyncReport r;
            try {
                r = lake.sync(profile.name(), options, log.map(l -> l.listener(profile.name(), printer)).orElse(printer));
            } finally {
                printer.clearProgress();
            }
            int code = switch (r.status()) {
                case SUCCESS -> ExitCode.OK;
                case INTERRUPTED -> ExitCode.INTERRUPTED;
                default -> ExitCode.PARTIAL;
            };
            log.ifPresent(l -> l.line(profile.name(), SyncPrinter.verdict(r) + " (" + r.filesTransferred() + " files, "
                    + Units.bytes(r.bytesTransferred()) + " in " + Units.duration(r.duration()) + "; exit " + code + ")"));
            if (json != null) {
                JsonReport.sync(json, r, code, started);
            } else if (!quiet) {
                printer.summary(r);
            } else if (code != ExitCode.OK) {
                t.err().println(profile.name() + ": " + SyncPrinter.verdict(r));
            }
            return code;
        } catch (LakeException e) {
            printer.printHeader();
            return failed(t, profile, json, quiet, e.getMessage(), e.hint(), ExitCode.of(e.kind()), e);
        } catch (OutOfMemoryError e) {
            printer.printHeader();
            return outOfMemory(t, profile, json, quiet, e);
        } catch (RuntimeException e) {
            printer.printHeader();
            Optional<OutOfMemoryError> memory = causes(e).filter(OutOfMemoryError.class::isInstance)
                    .map(OutOfMemoryError.class::cast).findFirst();
            if (memory.isPresent()) { // a worker's, passed on by the run
                return outOfMemory(t, profile, json, quiet, memory.get());
            }
            // a bug: it fails this profile alone, so that --all goes on and its JSON is printed
            return failed(t, profile, json, quiet, "internal error: " + e, Optional.of("please report it with the"
                    + " --verbose output" + (common.verbose ? "" : " (run with --verbose for the stack trace)")),
                    ExitCode.INTERNAL, e);
        }
    }

    /**
     * Reports a profile that ran out of memory: a local resource, like a full disk, so it fails
     * with a message and the other profiles go on.
     */
    private int outOfMemory(Terminal t, Profile profile, ObjectNode json, boolean quiet, OutOfMemoryError e) {
        return failed(t, profile, json, quiet, "the JVM ran out of memory while syncing " + profile.name() + " ("
                + e.getMessage() + ")", Optional.of("give it more with QUANTS_INFRA_JAVA_OPTS=-Xmx1g, or run fewer"
                + " profiles at once (--jobs)"), ExitCode.LOCAL_STORAGE, e);
    }

    /** {@code e} and its causes. */
    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
    }

    /** Reports a profile that failed as a whole, and returns its exit code. */
    private int failed(Terminal t, Profile profile, ObjectNode json, boolean quiet, String message, Optional<String> hint,
                       int code, Throwable cause) {
        log.ifPresent(l -> l.line(profile.name(), "✗ Sync failed: " + message + " (exit " + code + ")"));
        if (json != null) {
            JsonReport.failure(json, profile.name(), message, hint, code);
        } else {
            t.err().println((quiet ? profile.name() + ": " : "") + "✗ Sync failed: " + message);
            hint.ifPresent(h -> t.err().println("  hint: " + h));
        }
        if (common.verbose) {
            cause.printStackTrace(t.err());
        }
        return code;
    }
}
