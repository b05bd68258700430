package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line on a terminal (and its absence elsewhere), and {@code -q}. */
@ExtendWith(SftpServerExtension.class)
class ProgressAndQuietTest {
    private static final String ERASE = "\r\033[K";

    @TempDir
    Path dir;

    private Path config;
    private int files;

    @BeforeEach
    void setUp(SftpTestServer server) throws IOException {
        files = SampleLake.builder().symbols("BTC-USDT").days(2).partsPerDay(3).partSize(2000).writeTo(server.servedRoot())
                .filesWritten();
        LakeConfigFile file = new LakeConfigFile(dir.resolve("lake"));
        file.profile("p", server);
        file.profile("down", server).port = SyncAllTest.closedPort();
        config = file.writeTo(dir.resolve("data_lake.yml"));
    }

    @Test
    void onATerminal_syncRedrawsAProgressLineOnStderr_andClearsItAtTheEnd() {
        CliRunner.Result r = new CliRunner(dir).interactive().run("data-lake", "sync", "p", "--config", config.toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.err().startsWith(ERASE), r::toString);
        assertTrue(Pattern.compile(Pattern.quote(ERASE) + files + "/" + files + " files  .* ETA .*").matcher(r.err()).find(),
                "the final frame counts every file: " + r);
        assertTrue(r.err().endsWith(ERASE), "the line is erased at the end: " + r);
        assertFalse(r.out().contains("\r") || r.out().contains("\033"), "stdout stays plain: " + r);
        r.assertLinesInOrder("Files transferred: " + files, "✓ Sync completed successfully");
    }

    @Test
    void onATerminal_profilesAtOnceShareOneLiveLine_andEachReportPrintsWhole() {
        CliRunner.Result r = new CliRunner(dir).interactive().run("data-lake", "sync", "--all", "--config", config.toString());
        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(Pattern.compile(Pattern.quote(ERASE) + "0/2 profiles done, running: (p, down|down, p|p|down)").matcher(r.err()).find(),
                r::toString);
        assertFalse(r.err().substring(r.err().lastIndexOf(ERASE)).contains("profiles done"), "the line is erased at the end: " + r);
        assertFalse(r.out().contains("\r") || r.out().contains("\033"), "stdout stays plain: " + r);
        r.assertReport("p", "Files transferred: " + files, "✓ Sync completed successfully");
        r.assertReport("down", "Last sync: never");
        assertTrue(r.err().contains("✗ Sync failed: cannot connect to "), r::toString);
    }

    @Test
    void withoutATerminal_thereIsNoCarriageReturnOrAnsiCodeAtAll() {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "p", "-v", "--config", config.toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertFalse(r.all().contains("\r") || r.all().contains("\033"), r::toString);
        r.assertLinesInOrder("  \\+ .*part_00001\\.parquet  .*", "✓ Sync completed successfully");
    }

    @Test
    void quiet_printsNothingOnSuccess_andOnlyErrorsOnFailure() {
        CliRunner.Result ok = new CliRunner(dir).interactive().run("data-lake", "sync", "p", "-q", "--config", config.toString());
        assertEquals(ExitCode.OK, ok.code(), ok::toString);
        assertEquals("", ok.out(), ok::toString);
        assertEquals("", ok.err(), "not even the progress line: " + ok);

        CliRunner.Result failed = new CliRunner(dir).run("data-lake", "sync", "--all", "--quiet", "--config", config.toString());
        assertEquals(ExitCode.CONNECTION, failed.code(), failed::toString);
        assertEquals("", failed.out(), failed::toString);
        assertTrue(failed.err().startsWith("down: ✗ Sync failed: cannot connect to"), failed::toString);
        assertFalse(failed.err().contains("p: "), "the profile that worked says nothing: " + failed);

        CliRunner.Result cleanup = new CliRunner(dir).run("data-lake", "cleanup", "--all", "-q", "--config", config.toString());
        assertEquals(ExitCode.OK, cleanup.code(), cleanup::toString);
        assertEquals("", cleanup.all(), cleanup::toString);

        CliRunner.Result validate = new CliRunner(dir).run("data-lake", "validate", "--check-remote", "-q", "--config", config.toString());
        assertEquals(ExitCode.CONNECTION, validate.code(), validate::toString);
        assertEquals("", validate.out(), validate::toString);
        assertTrue(validate.err().startsWith("✗ down: cannot connect to"), validate::toString);
    }

    @Test
    void quietAndVerbose_together_isAUsageError() {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "p", "-q", "-v", "--config", config.toString());
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("✗ give -q/--quiet or -v/--verbose, not both"), r::toString);
    }
}
