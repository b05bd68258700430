package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.demo.DemoS3Server;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}: generates a sample remote, serves it, and syncs it through the real sync path. Runs twice. */
class DemoCommandTest {
    @TempDir
    Path dir;

    /** The sample's files the demo's 30-day window holds, by path below the remote root. */
    private static Map<String, String> inWindow(Map<String, String> remoteFiles) {
        Retention retention = new Retention(30, ZoneOffset.UTC, Clock.systemUTC());
        Map<String, String> kept = new TreeMap<>(remoteFiles);
        kept.keySet().removeIf(path -> retention.isExpired(path.split("/")[0]));
        return kept;
    }

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
        Map<String, String> inWindow = inWindow(TreeSnapshot.files(remote));
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

    @Test
    void demoS3_putsTheSampleInTheBucket_showsItsStats_andASecondDemoTransfersNothing() throws IOException {
        CliRunner cli = new CliRunner(dir).withEnv(Map.of("AWS_SESSION_TOKEN", "the user's own, not for the demo"));

        CliRunner.Result first = cli.run("data-lake", "demo", "--dir", "d", "--s3");

        assertEquals(ExitCode.OK, first.code(), first::toString);
        Path base = dir.resolve("d");
        Path objects = base.resolve("s3").resolve(S3Demo.BUCKET).resolve("lake/demo_ticks");
        Map<String, String> inWindow = inWindow(TreeSnapshot.contents(base.resolve("remote")));
        first.assertLinesInOrder("Serving bucket demo-lake over S3 at http://127\\.0\\.0\\.1:\\d+ \\(embedded S3Proxy, objects in "
                        + Pattern.quote(base.resolve("s3").toString()) + "\\)",
                "Profile: demo", "Bucket: +s3://demo-lake/lake/demo_ticks", "Files transferred: " + Units.count(inWindow.size()),
                "✓ Sync completed successfully",
                "Local path: +s3://demo-lake/lake/demo_ticks", "Files: +" + Units.count(inWindow.size()),
                "The objects are files of S3Proxy's filesystem backend: find " + Pattern.quote(objects.toString()) + " -type f");
        assertFalse(first.out().contains("aws --endpoint-url"), "the port is gone once the demo ends\n" + first);
        // S3Proxy, Jetty and jclouds run in the CLI's own JVM: whatever they log, the user sees.
        assertEquals("", first.processErr(), first::toString);
        assertEquals(inWindow, TreeSnapshot.contents(objects));
        assertFalse(Files.exists(base.resolve("lake")), "nothing lands in the local lake's directory");

        CliRunner.Result second = cli.run("data-lake", "demo", "--dir", "d", "--s3");

        assertEquals(ExitCode.OK, second.code(), second::toString);
        assertEquals("", second.processErr(), second::toString);
        second.assertLinesInOrder("Profile: demo", "Last sync: .* \\(success\\)", "Files transferred: 0",
                "Bytes transferred: 0 B", "✓ Sync completed successfully");
        assertEquals(inWindow, TreeSnapshot.contents(objects));
    }

    @Test
    void demoS3_givesTheSyncTheServersKeys_inPlaceOfTheUsers() {
        Map<String, String> env = S3Demo.keys(Map.of("AWS_ACCESS_KEY_ID", "AKIAUSER", "AWS_SESSION_TOKEN", "t", "HOME", "/h"));
        assertEquals(Map.of("AWS_ACCESS_KEY_ID", DemoS3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", DemoS3Server.SECRET_KEY,
                "HOME", "/h"), env);
    }
}
