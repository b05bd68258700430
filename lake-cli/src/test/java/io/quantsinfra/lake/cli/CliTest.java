package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        Map<String, String> withHome = new java.util.HashMap<>(env);
        withHome.put("HOME", dir.toString());
        return new Cli(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), withHome, dir, () -> java.time.ZoneOffset.UTC)).run(args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The 1-based line of the {@code nth} (from 0) line of the example config containing {@code text}. */
    private static int exampleLine(String text, int nth) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../config/data_lake.example.yml"));
        for (int i = 0, seen = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && seen++ == nth) {
                return i + 1;
            }
        }
        throw new AssertionError("no line " + nth + " with " + text);
    }

    private Path copyExample(String name) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(Path.of("../config/data_lake.example.yml"), target);
        return target;
    }

    @Test
    void logLevel_followsQuietAndVerbose_beforeTheCommandRuns() throws IOException {
        copyExample("config/data_lake.yml");
        String before = System.getProperty(Cli.LOG_LEVEL_PROPERTY);
        try {
            run("data-lake", "validate", "-q");
            assertEquals("error", System.getProperty(Cli.LOG_LEVEL_PROPERTY));
            run("data-lake", "validate", "-v");
            assertEquals("info", System.getProperty(Cli.LOG_LEVEL_PROPERTY));
            run("data-lake", "validate");
            assertEquals("warn", System.getProperty(Cli.LOG_LEVEL_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(Cli.LOG_LEVEL_PROPERTY);
            } else {
                System.setProperty(Cli.LOG_LEVEL_PROPERTY, before);
            }
        }
    }

    @Test
    void validate_example_printsEachProfile_andWhereItsConnectionValuesComeFrom() throws IOException {
        copyExample("config/data_lake.yml");
        assertEquals(ExitCode.OK, run("data-lake", "validate"));
        assertTrue(out().startsWith("✓ config/data_lake.yml is valid: 2 profiles, lake at /data/lake\n"), out());
        assertTrue(out().contains("  cex_ticks    enabled   ubuntu@10.0.0.11:6677:/var/data/cex_tickers → /data/lake/cex_ticks\n"), out());
        assertTrue(out().contains("  dex_candles  disabled  ubuntu@10.0.0.12:6677:/var/data/dex_candles → /data/lake/dex_candles\n"), out());
        assertTrue(out().lines().anyMatch(l -> l.matches(" {6}port +6677 +profile \\(source\\.port\\)")), out());
        assertTrue(out().lines().anyMatch(l -> l.matches(" {6}port +6677 +default")), "dex_candles sets no port\n" + out());
        assertTrue(err().contains("warning: config/data_lake.yml:" + exampleLine("rsync_args: \"-az --partial --inplace", 0)
                + ":19: profiles.cex_ticks.rsync_args: --inplace"), err());
    }

    @Test
    void validate_invalid_printsEveryProblemAndExits2() throws IOException {
        Path config = copyExample("bad.yml");
        Files.writeString(config, Files.readString(config).replace("port: 6677", "port: 66a").replace("type: ssh", "type: ftp"));
        assertEquals(ExitCode.USAGE, run("data-lake", "validate", "--config", "bad.yml"));
        assertTrue(out().startsWith("✗ bad.yml: 3 problems\n"), out());
        assertTrue(out().contains("  bad.yml:" + exampleLine("port: 6677", 0)
                + ":15: profiles.cex_ticks.source.port: must be an integer from 1 to 65535 (got \"66a\")\n"), out());
        assertTrue(out().contains("  bad.yml:" + exampleLine("type: ssh", 0) + ":15: profiles.cex_ticks.source.type: must be \"ssh\""), out());
        assertTrue(out().contains("  bad.yml:" + exampleLine("type: ssh", 1) + ":15: profiles.dex_candles.source.type: must be \"ssh\""), out());
        assertFalse(err().contains("Exception"), err());
    }

    @Test
    void validate_missingFile_namesPathAndConfigOption() {
        assertEquals(ExitCode.USAGE, run("data-lake", "validate"));
        assertTrue(out().contains("config file not found: " + dir.resolve("config/data_lake.yml")), out());
        assertTrue(out().contains("--config PATH"), out());
        assertTrue(out().contains("DATA_LAKE_CONFIG"), out());
    }

    @Test
    void validate_configFromEnvironment() throws IOException {
        copyExample("elsewhere/lake.yml");
        assertEquals(ExitCode.OK, run(Map.of("DATA_LAKE_CONFIG", "elsewhere/lake.yml"), "data-lake", "validate"));
        assertTrue(out().startsWith("✓ elsewhere/lake.yml is valid"), out());
    }

    @Test
    void longOptionsAcceptTheEqualsForm() throws IOException {
        copyExample("elsewhere/lake.yml");
        assertEquals(ExitCode.OK, run("data-lake", "validate", "--config=elsewhere/lake.yml"));
        assertTrue(out().startsWith("✓ elsewhere/lake.yml is valid"), out());
    }

    @Test
    void everyCommand_hasCleanHelp_withItsOptions_theExitCodes_andAnExample() {
        for (String command : List.of("sync", "stats", "cleanup", "validate", "demo")) {
            out.reset();
            assertEquals(ExitCode.OK, run("data-lake", command, "--help"));
            assertTrue(out().startsWith("Usage: quants-infra data-lake " + command + " [options]"), out());
            assertTrue(out().contains("  --config PATH ") && out().contains("Examples:\n  quants-infra data-lake " + command), out());
            assertTrue(out().contains("Exit codes:\n  0   everything worked\n"), out());
            assertTrue(out().contains("  130 stopped by SIGINT or SIGTERM"), out());
            assertFalse(out().contains("Default: false"), "no JCommander noise: " + out());
        }
        out.reset();
        assertEquals(ExitCode.OK, run("data-lake", "sync", "--help"));
        assertTrue(out().contains("[options] PROFILE... | --all\n"), out());
        assertTrue(out().contains("  -j, --jobs N "), out());
        assertTrue(out().contains("rsync_args (per profile, in the config) takes rsync's flags:") && out().contains("--bwlimit=RATE"),
                out());
    }

    @Test
    void overview_andVersion() {
        assertEquals(ExitCode.OK, run("data-lake", "--help"));
        assertTrue(out().contains("validate"), out());
        out.reset();
        assertEquals(ExitCode.OK, run("--version"));
        assertTrue(out().matches("quants-infra \\d+\\.\\d+\\.\\d+.*\n"), out());
    }

    @Test
    void aCommandWithoutItsGroup_exits2_andSaysWhatWasMeant() {
        assertEquals(ExitCode.USAGE, run("sync", "cex_ticks"));
        assertEquals("", out(), "no overview on stdout");
        assertTrue(err().startsWith("✗ unknown command \"sync\"; did you mean: quants-infra data-lake sync cex_ticks\n"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("sync", "--help"), "help of a mistyped command is no success");
        assertTrue(err().contains("did you mean: quants-infra data-lake sync --help"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("datalake", "sync"));
        assertTrue(err().contains("did you mean: quants-infra data-lake"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("data-lake", "synk", "p"));
        assertTrue(err().startsWith("✗ unknown command \"synk\"; did you mean \"sync\"?"), err());
        out.reset();
        assertEquals(ExitCode.OK, run("--help"));
        assertTrue(out().startsWith("Usage: quants-infra data-lake <command>"), out());
    }

    @Test
    void usageErrors_exit2WithoutStackTrace() {
        assertEquals(ExitCode.USAGE, run("data-lake", "frobnicate"));
        assertTrue(err().contains("unknown command \"frobnicate\""), err());
        assertEquals(ExitCode.USAGE, run("data-lake", "validate", "--no-such-option"));
        assertTrue(err().contains("unexpected argument '--no-such-option'"), err());
        assertEquals(ExitCode.USAGE, run());
        assertFalse(err().contains("at io.quantsinfra"), err());
    }
}
