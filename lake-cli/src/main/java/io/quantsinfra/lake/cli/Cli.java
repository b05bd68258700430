package io.quantsinfra.lake.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Spelling;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Parses {@code quants-infra data-lake <command> ...}, runs the command, and maps failures to
 * exit codes. It never exits the process itself: {@link Main} does.
 */
final class Cli {
    private static final String PROGRAM = "quants-infra";
    private static final String GROUP = "data-lake";
    /** slf4j-simple reads it when it creates its first logger; simplelogger.properties sets warn. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** Loggers simplelogger.properties turns off, since they repeat failures the CLI reports: -vv turns them on. */
    private static final List<String> QUIET_LOGGERS = List.of("net.schmizz", "com.hierynomus", "io.quantsinfra.lake.sftp.SftpSession");

    private final Terminal terminal;

    Cli(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Fresh instances of every command, by name, in the order the overview lists them. */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        for (Command c : List.<Command>of(new SyncCommand(), new StatsCommand(java.time.Clock.systemUTC()), new CleanupCommand(),
                new ValidateCommand(), new DemoCommand())) {
            commands.put(c.name(), c);
        }
        return commands;
    }

    /** The parser of {@code command}'s options. */
    private static JCommander parser(Command command) {
        return JCommander.newBuilder().programName(PROGRAM + " " + GROUP + " " + command.name()).addObject(command).build();
    }

    /** What {@code --help} of {@code command} says, as a record that completion and the man page are also made from. */
    static CommandHelp help(Command command) {
        JCommander jc = parser(command);
        jc.parse(); // JCommander describes the options once it has parsed
        return CommandHelp.of(PROGRAM + " " + GROUP, command, jc);
    }

    /** Runs one command line and returns its exit code. */
    int run(String... args) {
        Map<String, Command> commands = commands();
        List<String> rest = List.of(args);
        if (rest.contains("--version") && (rest.size() == 1 || rest.size() == 2 && rest.get(0).equals(GROUP))) {
            terminal.out().println(PROGRAM + " " + version());
            return ExitCode.OK;
        }
        if (rest.isEmpty() || isHelp(rest.get(0)) || rest.get(0).equals(GROUP) && (rest.size() == 1 || isHelp(rest.get(1)))) {
            terminal.out().print(overview(commands));
            boolean askedForHelp = !rest.isEmpty() && isHelp(rest.get(rest.size() == 1 ? 0 : 1));
            return askedForHelp ? ExitCode.OK : ExitCode.USAGE;
        }
        if (!rest.get(0).equals(GROUP)) {
            String typed = rest.get(0);
            String meant = commands.containsKey(typed) ? PROGRAM + " " + GROUP + " " + String.join(" ", rest)
                    : typed.startsWith("-") ? null : Spelling.closest(typed, List.of(GROUP), 2).map(g -> PROGRAM + " " + GROUP).orElse(null);
            terminal.err().println("✗ unknown command \"" + typed + "\"" + (meant == null ? "" : "; did you mean: " + meant));
            terminal.err().println("  run: " + PROGRAM + " --help");
            return ExitCode.USAGE;
        }
        Command command = commands.get(rest.get(1));
        if (command == null) {
            Optional<String> meant = Spelling.closest(rest.get(1), commands.keySet(), 2);
            terminal.err().println("✗ unknown command \"" + rest.get(1) + "\"" + meant.map(m -> "; did you mean \"" + m + "\"?")
                    .orElse("") + " commands: " + String.join(", ", commands.keySet()));
            terminal.err().println("  run: " + PROGRAM + " " + GROUP + " --help");
            return ExitCode.USAGE;
        }
        // Before anything creates a logger, the preparing thread below included: slf4j-simple reads them once.
        logLevels(rest).forEach(System::setProperty);
        if (command.mayConnect()) {
            Thread prepare = new Thread(DataLake::prepareToConnect, "lake-prepare-connect");
            prepare.setDaemon(true);
            prepare.start();
        }
        JCommander jc = parser(command);
        try {
            jc.parse(splitLongOptions(rest.subList(2, rest.size())));
        } catch (ParameterException e) {
            String message = e.getMessage().startsWith("Was passed main parameter")
                    ? "unexpected argument " + e.getMessage().replaceAll("^Was passed main parameter ('[^']*').*$", "$1")
                    : e.getMessage();
            return usageError(command, message, rest);
        }
        if (command.common().help) {
            terminal.out().print(help(commands().get(command.name())).text()); // fresh: defaults as declared, not as typed
            return ExitCode.OK;
        }
        command.common().verbose |= command.common().debug;
        if (command.common().quiet && command.common().verbose) {
            terminal.err().println("✗ give -q/--quiet or -v/--verbose, not both");
            terminal.err().println("  run: " + PROGRAM + " " + GROUP + " " + command.name() + " --help");
            return ExitCode.USAGE;
        }
        boolean verbose = command.common().verbose;
        try {
            return command.run(terminal);
        } catch (ParameterException e) {
            return usageError(command, e.getMessage(), rest);
        } catch (LakeException e) {
            terminal.err().println("✗ " + e.getMessage());
            e.hint().ifPresent(h -> terminal.err().println("  hint: " + h));
            if (verbose) {
                e.printStackTrace(terminal.err());
            }
            return ExitCode.of(e.kind());
        } catch (RuntimeException e) {
            terminal.err().println("✗ internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                e.printStackTrace(terminal.err());
            }
            return ExitCode.INTERNAL;
        }
    }

    /**
     * The log levels the options ask for, read before they are parsed: -q error, -v info, else
     * warn; -vv debug, also for the SSH library, which is otherwise silent (simplelogger.properties).
     */
    private static Map<String, String> logLevels(List<String> args) {
        if (args.contains("-vv")) {
            Map<String, String> levels = new LinkedHashMap<>();
            levels.put(LOG_LEVEL_PROPERTY, "debug");
            for (String quiet : QUIET_LOGGERS) {
                levels.put("org.slf4j.simpleLogger.log." + quiet, "debug");
            }
            return levels;
        }
        return Map.of(LOG_LEVEL_PROPERTY, args.contains("-q") || args.contains("--quiet") ? "error"
                : args.contains("-v") || args.contains("--verbose") ? "info" : "warn");
    }

    /**
     * Reports a command line that could not be understood, on stderr, or as a JSON document on
     * stdout when the line asks for {@code --format json}, and returns {@link ExitCode#USAGE}.
     */
    private int usageError(Command command, String message, List<String> args) {
        String hint = "run: " + PROGRAM + " " + GROUP + " " + command.name() + " --help";
        List<String> split = List.of(splitLongOptions(args));
        int format = split.indexOf("--format");
        if (format >= 0 && format + 1 < split.size() && split.get(format + 1).equals("json")) {
            terminal.out().println(JsonReport.text(JsonReport.usageError(message, hint)));
        } else {
            terminal.err().println("✗ " + message);
            terminal.err().println("  " + hint);
        }
        return ExitCode.USAGE;
    }

    /** {@code --config=PATH} becomes {@code --config PATH}, as users of rsync and rclone type it. */
    private static String[] splitLongOptions(List<String> args) {
        List<String> out = new java.util.ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                out.add(a.substring(0, eq));
                out.add(a.substring(eq + 1));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("help");
    }

    private static String overview(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder("Usage: " + PROGRAM + " " + GROUP + " <command> [options]\n\n"
                + "Mirrors Parquet part files from remote collectors over SFTP into a local data lake.\n\nCommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(),
                c.getClass().getAnnotation(Parameters.class).commandDescription())));
        return sb.append("\nOptions: --version, and on every command: --config PATH, -v/--verbose, -q/--quiet, -h/--help\n")
                .append("Example:\n  " + PROGRAM + " " + GROUP + " validate --config config/data_lake.yml\n").toString();
    }

    /** The version stamped into the jar at build time. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
