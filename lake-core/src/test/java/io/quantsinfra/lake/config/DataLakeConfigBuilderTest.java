package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataLakeConfigBuilderTest {

    @Test
    void builder_appliesTheSameDefaultsAsYaml() {
        DataLakeConfig config = DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("cex_ticks", p -> p.host("10.0.0.11").user("ubuntu").remoteRoot("/var/data/cex").localSubdir("cex_ticks"))
                .build();
        Profile p = config.profiles().get("cex_ticks");
        assertEquals(6677, p.source().port());
        assertEquals(30, p.retentionDays());
        assertEquals("-az --partial --inplace", p.rsyncArgs());
        assertEquals(Path.of("/data/lake/.checkpoints/cex_ticks.json"), p.checkpointFile());
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh/lightsail_key.pem"), p.source().sshKey());
    }

    @Test
    void builder_reportsEveryProblemAsOneConfigError() {
        LakeException e = assertThrows(LakeException.class, () -> DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("a", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("same").port(0))
                .profile("b", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("same").rsyncArgs("--bogus"))
                .build());
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("profiles.a.source.port: must be an integer from 1 to 65535 (got 0)"), e.getMessage());
        assertTrue(e.getMessage().contains("profiles.b.rsync_args: unsupported flag \"--bogus\""), e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("fix these settings of DataLakeConfig.builder"), e.hint().toString());
    }

    @Test
    void typedFlags_meanWhatTheirRsyncArgsMean_evenWithSpacesAndQuotes() {
        DataLakeConfig config = DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("cex_ticks", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("cex").rsyncArgs("-a --partial")
                        .delete().maxDelete(5).bwlimit("10M").exclude("it's a \"tmp\" file").include("*.parquet")
                        .timeout(java.time.Duration.ofSeconds(60)).contimeout(java.time.Duration.ofSeconds(9)))
                .build();
        RsyncOptions o = config.profiles().get("cex_ticks").rsync();
        assertTrue(o.delete() && o.partial() && o.recursive());
        assertEquals(java.util.OptionalInt.of(5), o.maxDelete());
        assertEquals(java.util.OptionalLong.of(10L * 1024 * 1024), o.bandwidthLimit());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(60)), o.ioTimeout());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(9)), o.connectTimeout());
        assertEquals(java.util.List.of(new FilterRule(false, "it's a \"tmp\" file"), new FilterRule(true, "*.parquet")),
                o.filter().rules());

        Profile defaults = DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("p").delete()).build().profiles().get("p");
        assertEquals("-az --partial --inplace --delete", defaults.rsyncArgs(), "typed flags add to the default flags");

        LakeException e = assertThrows(LakeException.class, () -> DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("p").bwlimit("fast")).build());
        assertTrue(e.getMessage().contains("--bwlimit=fast"), e.getMessage());
    }

    private static final S3Location BUCKET = S3Location.parse("s3://quant-lake/raw");

    @Test
    void anObjectStoreLake_keepsTheSettingsAsGiven_andPutsProfilesBelowTheRoot() {
        for (ObjectStoreSettings settings : java.util.List.of(ObjectStoreSettings.aws("eu-central-1"),
                ObjectStoreSettings.pathStyle(URI.create("http://minio.internal:9000"), "us-east-1"),
                new ObjectStoreSettings(Optional.of(URI.create("https://s3.example.com")), "eu-west-1", false))) {
            DataLakeConfig config = DataLakeConfig.builder(BUCKET, settings).checkpointDir(Path.of("/var/lib/quants-infra"))
                    .profile("cex_ticks", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("cex_ticks"))
                    .build();
            assertEquals(Optional.of(new ObjectStoreRoot(BUCKET, settings)), config.objectStore());
            assertEquals(Optional.empty(), config.rootDir());
            Profile p = config.profiles().get("cex_ticks");
            assertEquals(Optional.of(S3Location.parse("s3://quant-lake/raw/cex_ticks")), p.objectLocation());
            assertEquals(Path.of("/var/lib/quants-infra/cex_ticks.json"), p.checkpointFile());
        }
    }

    @Test
    void anObjectStoreLake_withoutACheckpointDir_isTold_toCallCheckpointDir() {
        LakeException e = assertThrows(LakeException.class, () -> DataLakeConfig.builder(BUCKET, ObjectStoreSettings.aws("eu-central-1"))
                .profile("a", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("a"))
                .profile("b", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("a/b"))
                .build());
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("checkpoint_dir: an object-store lake keeps its checkpoints and locks on local disk:"
                + " call .checkpointDir(...), e.g. .checkpointDir(Path.of(\"/var/lib/quants-infra\"))"), e.getMessage());

        LakeException overlap = assertThrows(LakeException.class, () -> DataLakeConfig.builder(BUCKET, ObjectStoreSettings.aws("eu-central-1"))
                .checkpointDir(Path.of("/var/lib/quants-infra"))
                .profile("a", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("a"))
                .profile("b", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("a/b"))
                .build());
        assertTrue(overlap.getMessage().contains("profiles.b.local_subdir: \"a/b\" overlaps profile a's local_subdir \"a\""),
                overlap.getMessage());
    }
}
