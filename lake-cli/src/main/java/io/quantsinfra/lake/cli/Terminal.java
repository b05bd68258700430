package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.config.ConfigLoader;
import io.quantsinfra.lake.config.ConfigProblem;
import io.quantsinfra.lake.config.ConfigReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a command may touch of the outside world: its output streams, the environment and the
 * working directory. Tests build one over in-memory streams.
 *
 * @param out  normal output
 * @param err  warnings and errors
 * @param env  environment variables
 * @param cwd  the working directory relative paths start from
 * @param zones gives the time zone times are shown in; asked only when a time is shown, since loading
 *              the system zone reads the tz database and a sync usually shows no time
 * @param interactive whether a person watches: stderr is a terminal, so a live progress line
 *                    (redrawn with {@code \r} and ANSI codes) may be shown; never otherwise
 */
record Terminal(PrintStream out, PrintStream err, Map<String, String> env, Path cwd, Supplier<ZoneId> zones,
                boolean interactive) {

    /** A terminal nobody watches, as under cron or in a pipe: no progress line. */
    Terminal(PrintStream out, PrintStream err, Map<String, String> env, Path cwd, Supplier<ZoneId> zones) {
        this(out, err, env, cwd, zones, false);
    }

    /** The same terminal with {@code env} as its environment, e.g. for a command the demo runs. */
    Terminal withEnv(Map<String, String> env) {
        return new Terminal(out, err, Map.copyOf(env), cwd, zones, interactive);
    }

    /** The time zone times are shown in. */
    ZoneId zone() {
        return zones.get();
    }

    /** The config path: {@code --config}, else {@code $DATA_LAKE_CONFIG}, else the default. */
    Path configPath(CommonOptions options) {
        String chosen = options.config != null ? options.config
                : Optional.ofNullable(env.get(CommonOptions.CONFIG_ENV)).filter(s -> !s.isBlank()).orElse(CommonOptions.DEFAULT_CONFIG);
        return Path.of(chosen);
    }

    /**
     * Loads the config chosen by {@code options}. A missing file gives a report whose only error
     * says which path was tried and how to choose another.
     */
    ConfigReport loadConfig(CommonOptions options) {
        Path path = configPath(options);
        Path absolute = cwd.resolve(path);
        ConfigLoader loader = new ConfigLoader(Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))), cwd, env);
        if (!Files.exists(absolute)) {
            String how = options.config != null ? "--config" : env.containsKey(CommonOptions.CONFIG_ENV)
                    ? "$" + CommonOptions.CONFIG_ENV : "the default path";
            return new ConfigReport(Optional.empty(), java.util.List.of(new ConfigProblem(path.toString(), 0, 0, "",
                    "config file not found: " + absolute + " (from " + how + "); pass --config PATH or set "
                            + CommonOptions.CONFIG_ENV + ", or start from: cp config/data_lake.example.yml config/data_lake.yml")),
                    java.util.List.of());
        }
        return loader.load(absolute, path.toString());
    }

    /**
     * The config chosen by {@code options} when it is valid; otherwise prints its problems and
     * returns empty. Warnings are printed only with {@code --verbose}: validate shows them always.
     * The problems go to stderr as text, or with {@code json} to stdout as one JSON document.
     */
    Optional<DataLakeConfig> validConfig(CommonOptions options, boolean json) {
        ConfigReport report = loadConfig(options);
        if (!report.isValid()) {
            if (json) {
                out.println(JsonReport.text(JsonReport.invalidConfig(configPath(options).toString(), report)));
            } else {
                printProblems(err, configPath(options).toString(), report);
            }
            return Optional.empty();
        }
        if (options.verbose) {
            warn(report.warnings());
        }
        return report.config();
    }

    /** Prints every error of an invalid config to {@code to}: one line when it is a single file-level problem. */
    void printProblems(PrintStream to, String file, ConfigReport report) {
        int n = report.errors().size();
        if (n == 1 && report.errors().get(0).line() == 0) {
            to.println("✗ " + report.errors().get(0).format());
            return;
        }
        to.println("✗ " + file + ": " + n + (n == 1 ? " problem" : " problems"));
        for (ConfigProblem p : report.errors()) {
            to.println("  " + p.format());
        }
    }

    /** Prints each warning to stderr. */
    void warn(Iterable<ConfigProblem> warnings) {
        for (ConfigProblem w : warnings) {
            err.println("warning: " + w.format());
        }
    }
}
