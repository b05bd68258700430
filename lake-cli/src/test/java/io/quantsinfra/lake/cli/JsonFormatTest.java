package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format json} of sync, cleanup and validate: one document, read back field by field. */
@ExtendWith(SftpServerExtension.class)
class JsonFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Profiles "ok" (the server's whole root, 30 days kept) and "down" (a closed port). */
    private Path config(SftpTestServer server) throws IOException {
        LakeConfigFile file = new LakeConfigFile(dir.resolve("lake"));
        file.profile("ok", server).retentionDays = 30;
        file.profile("down", server).port = SyncAllTest.closedPort();
        return file.writeTo(dir.resolve("data_lake.yml"));
    }

    private JsonNode parse(CliRunner.Result r) throws IOException {
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.isObject(), r::toString);
        return doc;
    }

    @Test
    void sync_all_oneDocument_successAndFailure_withTheDocumentedExitCode(SftpTestServer server) throws IOException {
        SampleLake.Summary remote = SampleLake.builder().symbols("BTC-USDT").days(2)
                .endingOn(LocalDate.now(ZoneOffset.UTC)).partsPerDay(2).partSize(1000).writeTo(server.servedRoot());
        Path expired = dir.resolve("lake/ok/gate_io_OLD_20200101/part_00001.parquet");
        Files.createDirectories(expired.getParent());
        SampleLake.writeFile(expired, 123, 1);
        Path config = config(server);

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--format", "json", "--config", config.toString());

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        JsonNode doc = parse(r);
        assertEquals(ExitCode.CONNECTION, doc.get("exit_code").intValue());
        assertEquals(2, doc.get("profiles").size());
        JsonNode ok = doc.get("profiles").get(0);
        assertEquals("ok", ok.get("profile").textValue());
        assertEquals("success", ok.get("status").textValue());
        assertEquals(0, ok.get("exit_code").intValue());
        assertFalse(ok.get("dry_run").booleanValue());
        assertEquals(remote.filesWritten(), ok.get("files_transferred").longValue());
        assertEquals(0, ok.get("files_resumed").longValue());
        assertEquals(remote.totalBytes(), ok.get("bytes_transferred").longValue());
        assertEquals(0, ok.get("files_deleted").longValue());
        assertTrue(ok.get("duration_seconds").isNumber() && ok.get("duration_seconds").doubleValue() >= 0);
        assertEquals(0, ok.get("reconnects").intValue());
        assertTrue(ok.get("errors").isArray() && ok.get("errors").isEmpty());
        assertTrue(ok.get("deletion_blocked").isNull());
        assertEquals(remote.filesWritten(), ok.get("plan").get("files_to_transfer").longValue());
        assertEquals(remote.totalBytes(), ok.get("plan").get("bytes_to_transfer").longValue());
        JsonNode cleanup = ok.get("cleanup");
        assertEquals(30, cleanup.get("retention_days").intValue());
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(30).toString(), cleanup.get("cutoff_date").textValue());
        assertEquals("gate_io_OLD_20200101", cleanup.get("expired_directories").get(0).get("name").textValue());
        assertEquals("2020-01-01", cleanup.get("expired_directories").get(0).get("date").textValue());
        assertEquals(123, cleanup.get("expired_directories").get(0).get("bytes").longValue());
        assertEquals(123, cleanup.get("bytes_freed").longValue());
        assertTrue(ok.get("error").isNull());

        JsonNode down = doc.get("profiles").get(1);
        assertEquals("down", down.get("profile").textValue());
        assertEquals("failed", down.get("status").textValue());
        assertEquals(ExitCode.CONNECTION, down.get("exit_code").intValue());
        assertTrue(down.get("error").textValue().startsWith("cannot connect to lake@127.0.0.1:"), down::toString);
        assertTrue(down.get("hint").textValue().startsWith("check host and port"), down::toString);
        assertFalse(r.out().contains("Profile:"), "no text on stdout: " + r);
    }

    @Test
    void sync_dryRun_reportsThePlan(SftpTestServer server) throws IOException {
        SampleLake.Summary remote = SampleLake.builder().symbols("BTC-USDT").days(1)
                .endingOn(LocalDate.now(ZoneOffset.UTC)).partsPerDay(3).partSize(500).writeTo(server.servedRoot());
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "ok", "-n", "--format", "json",
                "--config", config(server).toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        JsonNode ok = parse(r).get("profiles").get(0);
        assertTrue(ok.get("dry_run").booleanValue());
        assertEquals(0, ok.get("files_transferred").longValue());
        assertEquals(3, ok.get("plan").get("files_to_transfer").longValue());
        assertEquals(remote.totalBytes(), ok.get("plan").get("bytes_to_transfer").longValue());
        assertTrue(ok.get("cleanup").get("dry_run").booleanValue());
        assertFalse(Files.exists(dir.resolve("lake/ok")));
    }

    @Test
    void cleanup_json_dryRunAndReal(SftpTestServer server) throws IOException {
        Path expired = dir.resolve("lake/ok/gate_io_OLD_20200101/part_00001.parquet");
        Files.createDirectories(expired.getParent());
        SampleLake.writeFile(expired, 50, 1);
        Files.createDirectories(dir.resolve("lake/ok/notes"));
        Path config = config(server);

        CliRunner.Result dry = new CliRunner(dir).run("data-lake", "cleanup", "ok", "--dry-run", "--format", "json",
                "--config", config.toString());
        assertEquals(ExitCode.OK, dry.code(), dry::toString);
        JsonNode d = parse(dry).get("profiles").get(0);
        assertEquals("success", d.get("status").textValue());
        assertTrue(d.get("dry_run").booleanValue());
        assertEquals(50, d.get("bytes_freed").longValue());
        assertEquals(List.of("notes"), List.of(d.get("unknown_date").get(0).textValue()));
        assertTrue(Files.exists(expired));

        CliRunner.Result real = new CliRunner(dir).run("data-lake", "cleanup", "ok", "--format", "json",
                "--config", config.toString());
        assertEquals(ExitCode.OK, real.code(), real::toString);
        JsonNode c = parse(real).get("profiles").get(0);
        assertFalse(c.get("dry_run").booleanValue());
        assertEquals("gate_io_OLD_20200101", c.get("expired_directories").get(0).get("name").textValue());
        assertTrue(c.get("errors").isEmpty());
        assertEquals(0, parse(real).get("exit_code").intValue());
        assertFalse(Files.exists(expired));
    }

    @Test
    void validate_json_validWithRemoteCheck_andInvalid(SftpTestServer server) throws IOException {
        Path config = config(server);
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--check-remote", "--format", "json",
                "--config", config.toString());
        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        JsonNode doc = parse(r);
        assertTrue(doc.get("valid").booleanValue());
        assertEquals(config.toString(), doc.get("config_file").textValue());
        assertEquals(dir.resolve("lake").toString(), doc.get("root_dir").textValue());
        assertTrue(doc.get("errors").isEmpty());
        JsonNode ok = doc.get("profiles").get(0);
        assertEquals("ok", ok.get("status").textValue());
        assertTrue(ok.get("remote_checked").booleanValue());
        assertEquals(dir.resolve("lake/ok").toString(), ok.get("local_path").textValue());
        JsonNode down = doc.get("profiles").get(1);
        assertEquals("failed", down.get("status").textValue());
        assertEquals(ExitCode.CONNECTION, down.get("exit_code").intValue());
        assertEquals(ExitCode.CONNECTION, doc.get("exit_code").intValue());

        Files.writeString(config, Files.readString(config).replace("retention_days: 30", "retention_days: -1"));
        CliRunner.Result bad = new CliRunner(dir).run("data-lake", "validate", "--format", "json", "--config", config.toString());
        assertEquals(ExitCode.USAGE, bad.code(), bad::toString);
        JsonNode b = parse(bad);
        assertFalse(b.get("valid").booleanValue());
        assertTrue(b.get("root_dir").isNull());
        assertTrue(b.get("profiles").isEmpty());
        JsonNode problem = b.get("errors").get(0);
        assertEquals("profiles.ok.retention_days", problem.get("path").textValue());
        assertTrue(problem.get("line").intValue() > 0 && problem.get("column").intValue() > 0, problem::toString);
        assertTrue(problem.get("message").textValue().contains("got -1"), problem::toString);
        assertEquals(ExitCode.USAGE, b.get("exit_code").intValue());
    }

    @Test
    void anUnknownFormat_isAUsageError() {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--format", "xml");
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--format must be text or json (got \"xml\")"), r::toString);
    }

    @Test
    void anInvalidConfig_withJson_printsOneDocumentWithTheProblems_forSyncStatsAndCleanup() throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "data_lake:\n  root_dir: /tmp/lake\n  profiles:\n    p:\n      retention_days: -1\n");
        for (String command : List.of("sync", "stats", "cleanup")) {
            CliRunner.Result r = new CliRunner(dir).run("data-lake", command, "--all", "--format", "json", "--config", bad.toString());

            assertEquals(ExitCode.USAGE, r.code(), r::toString);
            JsonNode doc = JSON.readTree(r.out());
            assertEquals(false, doc.get("valid").booleanValue(), command + ": " + r);
            assertEquals(bad.toString(), doc.get("config_file").textValue(), r::toString);
            assertTrue(doc.get("profiles").isEmpty(), r::toString);
            assertEquals(ExitCode.USAGE, doc.get("exit_code").intValue(), r::toString);
            JsonNode problem = doc.get("errors").get(0);
            assertTrue(problem.get("line").intValue() > 0 && problem.get("column").intValue() > 0, problem::toString);
            assertTrue(problem.has("message"), problem::toString);
        }
    }

    @Test
    void aUsageError_withJson_printsOneDocumentWithTheErrorAndTheHelpCommand() throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--no-such-option", "--format=json");

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.get("error").textValue().contains("--no-such-option"), r::toString);
        assertEquals("run: quants-infra data-lake sync --help", doc.get("hint").textValue());
        assertEquals(ExitCode.USAGE, doc.get("exit_code").intValue());
        assertEquals("", r.err(), "the document is the whole answer: " + r);
    }

    @Test
    void anInvalidConfig_inText_goesToStderr() throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "data_lake:\n  root_dir: /tmp/lake\n  profiles:\n    p:\n      retention_days: -1\n");
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--config", bad.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertTrue(r.err().startsWith("✗ " + bad), r::toString);
    }
}
