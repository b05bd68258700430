package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}: generates a sample remote, serves it, and syncs it through the real sync path. Runs twice. */
class DemoCommandTest {
    @TempDir
    Path dir;

    private static long regularFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void demo_mirrorsTheWholeSample_andASecondDemoTransfersNothing() throws IOException {
        CliRunner cli = new CliRunner(dir);

        CliRunner.Result first = cli.run("data-lake", "demo", "--dir", "d");

        assertEquals(ExitCode.OK, first.code(), first::toString);
        Path base = dir.resolve("d");
        assertTrue(first.out().contains("Generating a sample remote lake in " + base.resolve("remote")), first::toString);
        Path remote = base.resolve("remote");
        Path mirror = base.resolve("lake/demo_ticks");
        // The sample spans 40 days and the demo keeps 30: older days are neither listed nor transferred.
        Retention retention = new Retention(30, ZoneOffset.UTC, Clock.systemUTC());
        Map<String, String> inWindow = new TreeMap<>(TreeSnapshot.files(remote));
        inWindow.keySet().removeIf(path -> retention.isExpired(path.split("/")[0]));
        assertTrue(regularFiles(remote) > inWindow.size() && !inWindow.isEmpty());
        first.assertLinesInOrder("Profile: demo", "Last sync: never", "Files transferred: " + Units.count(inWindow.size()),
                "Bytes transferred: \\d+\\.\\d MB", "Deleted: 0 entries", "✓ Sync completed successfully");
        // The demo's server runs in the CLI's own JVM: whatever it logs, the user sees.
        assertEquals("", first.processErr(), first::toString);
        assertTrue(Files.isRegularFile(base.resolve("data_lake.yml")));
        assertEquals(inWindow, TreeSnapshot.files(mirror));

        CliRunner.Result second = cli.run("data-lake", "demo", "--dir", "d");

        assertEquals(ExitCode.OK, second.code(), second::toString);
        assertEquals("", second.processErr(), second::toString);
        second.assertLinesInOrder("Profile: demo", "Last sync: .* \\(success\\)", "Files transferred: 0",
                "Bytes transferred: 0 B", "✓ Sync completed successfully");
        assertEquals(inWindow, TreeSnapshot.files(mirror));
    }
}
