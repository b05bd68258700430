package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} of a lake in a bucket: where the lake and each profile are, in text and JSON. */
class ValidateObjectStoreTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            data_lake:
              root_dir: s3://quant-lake/raw
              checkpoint_dir: /var/lib/quants-infra
              object_store:
                endpoint: http://minio.internal:9000
              profiles:
                cex_ticks:
                  source:
                    type: ssh
                    host: 10.0.0.11
                    user: ubuntu
                    remote_root: /var/data/cex_tickers
                  local_subdir: cex_ticks
                  rsync_args: -a
            """;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("lake.yml"), yaml);
    }

    @Test
    void text_namesTheBucket_andEachProfilesPrefix() throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--config", write(CONFIG).toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("✓ " + dir.resolve("lake.yml") + " is valid: 1 profile, lake at s3://quant-lake/raw\n"),
                r::toString);
        assertTrue(r.out().contains("  cex_ticks  enabled   ubuntu@10.0.0.11:6677:/var/data/cex_tickers"
                + " → s3://quant-lake/raw/cex_ticks\n"), r::toString);
        assertFalse(r.err().contains("root_dir"), "no local root to warn about\n" + r);
    }

    @Test
    void inplace_isSaidToHaveNoEffect_inABucket() throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--config",
                write(CONFIG.replace("rsync_args: -a", "rsync_args: -a --inplace")).toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.toString().contains("--inplace has no effect on a lake in a bucket"), r::toString);
        assertFalse(r.toString().contains("visible to readers"), r::toString);
    }

    @Test
    void json_rootDirAndLocalPath_areTheS3Locations() throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--format", "json", "--config",
                write(CONFIG).toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("valid").booleanValue());
        assertEquals("s3://quant-lake/raw", doc.get("root_dir").textValue());
        assertEquals("s3://quant-lake/raw/cex_ticks", doc.get("profiles").get(0).get("local_path").textValue());
    }

    @Test
    void theRegion_comesFromTheRunsEnvironment_elseItIsAProblemAtItsKey() throws IOException {
        String aws = CONFIG.replace("  object_store:\n    endpoint: http://minio.internal:9000\n", "");
        Path file = write(aws);
        assertEquals(ExitCode.OK, new CliRunner(dir).withEnv(Map.of("AWS_REGION", "eu-central-1"))
                .run("data-lake", "validate", "--config", file.toString()).code());

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--config", file.toString());
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertTrue(r.out().contains(file + ":1:1: object_store.region: required key is missing, and neither AWS_REGION"
                + " nor AWS_DEFAULT_REGION is set; set the bucket's region, e.g. region: eu-central-1, or AWS_REGION"), r::toString);
    }

    @Test
    void anS3Root_withoutACheckpointDir_isAProblem_withTheFix() throws IOException {
        Path file = write(CONFIG.replace("  checkpoint_dir: /var/lib/quants-infra\n", ""));
        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--config", file.toString());
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertTrue(r.out().contains(file + ":1:1: checkpoint_dir: an object-store lake keeps its checkpoints and locks on"
                + " local disk: set checkpoint_dir, e.g. checkpoint_dir: /var/lib/quants-infra"), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
    }
}
