package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.S3ServerExtension;
import io.quantsinfra.lake.testkit.S3TestServer;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a lake in a bucket (S3Proxy), with credentials from the run's environment. */
@ExtendWith(S3ServerExtension.class)
class ObjectStoreCliTest {
    private static final Map<String, String> KEYS = Map.of("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);

    @TempDir
    Path dir;
    private S3TestServer s3;
    private SftpTestServer sftp;
    private String prefix;

    @BeforeEach
    void start(S3TestServer s3, TestInfo test) throws IOException {
        this.s3 = s3;
        Path remote = dir.resolve("remote");
        SampleLake.builder().days(3).endingOn(LocalDate.now(java.time.ZoneOffset.UTC)).partsPerDay(2)
                .partSize(1_000, 3_000).seed(2).writeTo(remote);
        sftp = SftpTestServer.builder(remote).keyDirectory(dir.resolve("keys")).start();
        prefix = "cli-" + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void stop() throws IOException {
        sftp.close();
    }

    private Path config(String bucket) throws IOException {
        return config(bucket, 0);
    }

    private Path config(String bucket, int retentionDays) throws IOException {
        return Files.writeString(dir.resolve("lake.yml"), """
                data_lake:
                  root_dir: s3://%s/%s
                  checkpoint_dir: %s
                  object_store:
                    endpoint: %s
                  profiles:
                    ticks:
                      source:
                        type: ssh
                        host: %s
                        port: %d
                        user: %s
                        ssh_key: %s
                        known_hosts: %s
                        remote_root: /
                      local_subdir: ticks
                      rsync_args: -a --partial --delete
                      retention_days: %d
                """.formatted(bucket, prefix, dir.resolve("state"), s3.endpoint(), sftp.host(), sftp.port(),
                sftp.user(), sftp.clientKeyFile(), sftp.knownHostsFile(), retentionDays));
    }

    @Test
    void syncStatsAndCleanup_workOnTheBucket() throws IOException {
        Path file = config(s3.bucket());
        CliRunner cli = new CliRunner(dir).withEnv(KEYS);

        CliRunner.Result first = cli.run("data-lake", "sync", "ticks", "--config", file.toString(), "--no-cleanup");

        assertEquals(ExitCode.OK, first.code(), first::toString);
        assertTrue(first.out().contains("Bucket:  s3://" + s3.bucket() + "/" + prefix + "/ticks"), first::toString);
        assertEquals(6, objects().count(), "three days of two parts each");
        CliRunner.Result again = cli.run("data-lake", "sync", "ticks", "--config", file.toString(), "--no-cleanup",
                "--format", "json");
        JsonNode doc = new ObjectMapper().readTree(again.out()).get("profiles").get(0);
        assertEquals(0, doc.get("files_transferred").asLong(), again::toString);

        file = config(s3.bucket(), 1); // the oldest of the three days expires
        CliRunner.Result stats = cli.run("data-lake", "stats", "ticks", "--config", file.toString(), "--format", "json");
        JsonNode s = new ObjectMapper().readTree(stats.out()).get("profiles").get(0);
        assertEquals(ExitCode.OK, stats.code(), stats::toString);
        assertEquals(6, s.get("files").asLong(), stats::toString);
        assertEquals(1, s.get("expired_directories").size(), "the oldest of three days, with a one-day window");

        CliRunner.Result cleanup = cli.run("data-lake", "cleanup", "ticks", "--config", file.toString());
        assertEquals(ExitCode.OK, cleanup.code(), cleanup::toString);
        assertEquals(4, objects().count());
    }

    @Test
    void wrongKeys_andAMissingBucket_exitWithTheConnectionCode_andNoStackTrace() throws IOException {
        CliRunner.Result badKey = new CliRunner(dir).withEnv(Map.of("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", "wrong")).run("data-lake", "sync", "ticks", "--config", config(s3.bucket()).toString());
        assertEquals(ExitCode.CONNECTION, badKey.code(), badKey::toString);
        assertTrue(badKey.err().contains("the secret key does not match the access key id"), badKey::toString);
        assertTrue(badKey.err().contains("AWS_ACCESS_KEY_ID"), "the hint names where keys come from\n" + badKey);
        assertFalse(badKey.err().contains("\tat "), badKey::toString);

        CliRunner.Result noBucket = new CliRunner(dir).withEnv(KEYS)
                .run("data-lake", "sync", "ticks", "--config", config("no-such-bucket").toString());
        assertEquals(ExitCode.CONNECTION, noBucket.code(), noBucket::toString);
        assertTrue(noBucket.err().contains("bucket no-such-bucket does not exist"), noBucket::toString);
    }

    private Stream<Path> objects() throws IOException {
        Path under = s3.objectFile(s3.bucket(), prefix + "/ticks");
        try (Stream<Path> all = Files.walk(under)) {
            return all.filter(Files::isRegularFile).toList().stream();
        }
    }
}
