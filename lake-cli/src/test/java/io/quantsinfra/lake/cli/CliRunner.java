package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Runs the real CLI in-process, the way {@link Main} does, with captured streams. */
final class CliRunner {
    private final Path cwd;
    private final boolean interactive;
    private final Map<String, String> env;

    /** @param cwd the working directory, also used as {@code $HOME} */
    CliRunner(Path cwd) {
        this(cwd, false, Map.of());
    }

    private CliRunner(Path cwd, boolean interactive, Map<String, String> env) {
        this.cwd = cwd;
        this.interactive = interactive;
        this.env = env;
    }

    /** The same runner, but as if stderr were a terminal someone watches. */
    CliRunner interactive() {
        return new CliRunner(cwd, true, env);
    }

    /** The same runner with {@code more} variables in its environment besides {@code HOME}, e.g. {@code SSH_AUTH_SOCK}. */
    CliRunner withEnv(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return new CliRunner(cwd, interactive, Map.copyOf(all));
    }

    /** Runs {@code quants-infra <args>} and returns its exit code and output. */
    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int code;
        // Libraries log to the process's stderr (slf4j-simple), which a user sees too: capture it.
        System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
        try {
            code = new Cli(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), home(), cwd, () -> ZoneOffset.UTC, interactive))
                    .run(args);
        } finally {
            System.setErr(systemErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                processErr.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> home() {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", cwd.toString());
        return all;
    }

    /**
     * What one command line did.
     *
     * @param code its exit code
     * @param out  what it printed to stdout
     * @param err        what it printed to stderr
     * @param processErr what else reached the process's stderr meanwhile, e.g. library logging
     */
    record Result(int code, String out, String err, String processErr) {
        /**
         * The lines the SSH client library (sshj: {@code net.schmizz}, {@code com.hierynomus}) wrote
         * to the process's stderr. Only those: the embedded test server runs in this JVM too and may
         * log (e.g. a broken pipe when the client hangs up), which a real server's user never sees.
         */
        String clientLibraryErr() {
            return processErr.lines().filter(l -> l.contains("net.schmizz") || l.contains("com.hierynomus"))
                    .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
        }

        /** Both streams, for messages and failure reports. */
        String all() {
            return out + err;
        }

        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "--- process stderr ---\n" + processErr;
        }

        /**
         * Asserts that stdout has, in this order (other lines may come between), one line fully
         * matching each regex; returns the matched lines.
         */
        List<String> assertLinesInOrder(String... regexes) {
            List<String> lines = lines();
            List<String> matched = new java.util.ArrayList<>();
            int from = 0;
            for (String regex : regexes) {
                Pattern p = Pattern.compile(regex);
                int found = -1;
                for (int i = from; i < lines.size(); i++) {
                    if (p.matcher(lines.get(i)).matches()) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    fail("no line matching /" + regex + "/ after line " + from + " of stdout:\n" + this);
                }
                matched.add(lines.get(found));
                from = found + 1;
            }
            return matched;
        }

        /**
         * Asserts that one profile's report is printed whole: the lines from its {@code Profile:}
         * title to the next blank line match each regex in this order (other lines may come between).
         */
        void assertReport(String profile, String... regexes) {
            List<String> lines = lines();
            int start = lines.indexOf("Profile: " + profile);
            if (start < 0) {
                fail("no report of " + profile + " in stdout:\n" + this);
            }
            int end = start;
            while (end < lines.size() && !lines.get(end).isEmpty()) {
                end++;
            }
            Result block = new Result(code, String.join("\n", lines.subList(start, end)) + "\n", err, processErr);
            block.assertLinesInOrder(regexes);
        }

        /** The single stdout line starting with {@code prefix}. */
        String line(String prefix) {
            List<String> hits = lines().stream().filter(l -> l.startsWith(prefix)).toList();
            if (hits.size() != 1) {
                fail("expected exactly one line starting with \"" + prefix + "\", got " + hits + " in:\n" + this);
            }
            return hits.get(0);
        }
    }
}
