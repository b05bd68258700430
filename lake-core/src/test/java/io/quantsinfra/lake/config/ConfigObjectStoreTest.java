package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.store.LocalStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code root_dir: s3://…} and {@code object_store:}: the lake in a bucket, as YAML gives it. */
class ConfigObjectStoreTest {
    @TempDir
    Path home;

    private static final String VALID = """
            data_lake:
              root_dir: s3://quant-lake/raw
              checkpoint_dir: /var/lib/quants-infra
              object_store:
                region: eu-central-1
              profiles:
                cex_ticks:
                  source:
                    type: ssh
                    host: 10.0.0.11
                    user: ubuntu
                    remote_root: /var/data/cex_tickers
                  local_subdir: cex_ticks
            """;

    /** {@link #VALID} with a second profile {@code other} whose local_subdir is {@code subdir}, ending on line 20. */
    private static String withOther(String subdir) {
        return VALID + VALID.substring(VALID.indexOf("    cex_ticks:")).replace("cex_ticks:", "other:")
                .replace("local_subdir: cex_ticks", "local_subdir: " + subdir);
    }

    private ConfigReport parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(home, home, env).parse(yaml, "c.yml");
    }

    private DataLakeConfig valid(String yaml, Map<String, String> env) {
        ConfigReport report = parse(yaml, env);
        assertEquals(List.of(), report.errors());
        return report.orThrow();
    }

    @Test
    void anS3Root_isABucketAndPrefix_andEachProfileAPrefixBelowIt() {
        DataLakeConfig config = valid(VALID, Map.of());
        assertEquals(Optional.empty(), config.rootDir());
        ObjectStoreRoot store = config.objectStore().orElseThrow();
        assertEquals(new S3Location("quant-lake", "raw"), store.location());
        assertEquals("s3://quant-lake/raw", config.location());
        assertEquals(Path.of("/var/lib/quants-infra"), config.checkpointDir());
        Profile p = config.profiles().get("cex_ticks");
        assertEquals(Optional.empty(), p.localDir());
        assertEquals(Optional.of(new S3Location("quant-lake", "raw/cex_ticks")), p.objectLocation());
        assertEquals("s3://quant-lake/raw/cex_ticks", p.location());
        assertEquals("cex_ticks", p.localSubdir());
        assertEquals(Path.of("/var/lib/quants-infra/cex_ticks.json"), p.checkpointFile());
    }

    @Test
    void aLocalRoot_hasNoObjectStore() {
        DataLakeConfig config = valid(VALID.replace("root_dir: s3://quant-lake/raw", "root_dir: /data/lake")
                .replace("  object_store:\n    region: eu-central-1\n", ""), Map.of());
        assertEquals(Optional.empty(), config.objectStore());
        assertEquals("/data/lake", config.location());
        Profile p = config.profiles().get("cex_ticks");
        assertEquals(Optional.empty(), p.objectLocation());
        assertEquals("/data/lake/cex_ticks", p.location());
    }

    @Test
    void aWholeBucket_aTrailingSlash_andNestedSubdirs() {
        Profile whole = valid(VALID.replace("s3://quant-lake/raw", "s3://quant-lake"), Map.of()).profiles().get("cex_ticks");
        assertEquals(Optional.of(new S3Location("quant-lake", "cex_ticks")), whole.objectLocation());
        Profile nested = valid(VALID.replace("s3://quant-lake/raw", "s3://quant-lake/raw/")
                .replace("local_subdir: cex_ticks", "local_subdir: cex/ticks/"), Map.of()).profiles().get("cex_ticks");
        assertEquals("s3://quant-lake/raw/cex/ticks", nested.location());
    }

    @Test
    void withoutAnEndpoint_itIsAws_virtualHosted_inTheGivenRegion() {
        ObjectStoreSettings s = valid(VALID, Map.of("AWS_REGION", "us-west-2")).objectStore().orElseThrow().settings();
        assertEquals(ObjectStoreSettings.aws("eu-central-1"), s, "the file's region wins over the environment's");
    }

    @Test
    void withAnEndpoint_pathStyle_andUsEast1_byDefault() {
        String yaml = VALID.replace("    region: eu-central-1", "    endpoint: http://minio.internal:9000");
        ObjectStoreSettings s = valid(yaml, Map.of()).objectStore().orElseThrow().settings();
        assertEquals(ObjectStoreSettings.pathStyle(URI.create("http://minio.internal:9000"), "us-east-1"), s);
        ObjectStoreSettings explicit = valid(VALID.replace("    region: eu-central-1",
                "    endpoint: https://s3.example.com\n    region: eu-west-1\n    path_style: false"), Map.of())
                .objectStore().orElseThrow().settings();
        assertEquals(new ObjectStoreSettings(Optional.of(URI.create("https://s3.example.com")), "eu-west-1", false), explicit);
    }

    @Test
    void withoutARegion_theEnvironmentGivesIt_AWS_REGIONFirst() {
        String yaml = VALID.replace("  object_store:\n    region: eu-central-1\n", "");
        assertEquals("ap-south-1", region(yaml, Map.of("AWS_REGION", "ap-south-1", "AWS_DEFAULT_REGION", "sa-east-1")));
        assertEquals("sa-east-1", region(yaml, Map.of("AWS_REGION", "", "AWS_DEFAULT_REGION", "sa-east-1")));
        String minio = VALID.replace("    region: eu-central-1", "    endpoint: http://minio.internal:9000");
        assertEquals("ap-south-1", region(minio, Map.of("AWS_REGION", "ap-south-1")), "before the endpoint's us-east-1");
    }

    private String region(String yaml, Map<String, String> env) {
        return valid(yaml, env).objectStore().orElseThrow().settings().region();
    }

    @Test
    void rootDir_mayComeFromTheEnvironment() {
        DataLakeConfig config = valid(VALID.replace("root_dir: s3://quant-lake/raw", "root_dir: ${LAKE_ROOT}"),
                Map.of("LAKE_ROOT", "s3://other-lake/p"));
        assertEquals("s3://other-lake/p", config.location());
    }

    @Test
    void siblingPrefixes_doNotOverlap() {
        DataLakeConfig config = valid(withOther("cex_ticks2"), Map.of());
        assertEquals("s3://quant-lake/raw/cex_ticks2", config.profiles().get("other").location());
    }

    /** Checks of local directories do not apply in a bucket: nothing of the lake is on local disk to collide with. */
    @Test
    void localOnlyChecks_doNotApplyInABucket() {
        String yaml = VALID.replace("checkpoint_dir: /var/lib/quants-infra",
                "checkpoint_dir: /var/lib/quants-infra\n  metrics_file: /var/lib/quants-infra/cex_ticks/m.prom")
                .replace("local_subdir: cex_ticks", "local_subdir: .checkpoints");
        assertTrue(parse(yaml, Map.of()).isValid(), () -> parse(yaml, Map.of()).errors().toString());
    }

    @Test
    void noRootDirWarnings_forABucket() {
        ConfigReport report = parse(VALID, Map.of());
        assertFalse(report.warnings().stream().anyMatch(w -> w.path().equals("root_dir")), report.warnings()::toString);
    }

    @Test
    void theLocalStore_refusesAProfileInABucket_withAConfigError() {
        Profile p = valid(VALID, Map.of()).profiles().get("cex_ticks");
        LakeException e = assertThrows(LakeException.class, () -> new LocalStore(p));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("s3://quant-lake/raw/cex_ticks"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("LakeStoreFactory"), e.hint().toString());
    }

    /** One failing case: the YAML, and the exact path, line, column and a piece of the message expected. */
    static Stream<Arguments> invalid() {
        String noSection = VALID.replace("  object_store:\n    region: eu-central-1\n", "");
        return Stream.of(
                Arguments.of("another scheme", VALID.replace("s3://quant-lake/raw", "gs://quant-lake/raw"),
                        "root_dir", 2, 13, "only local paths and s3:// are supported (got \"gs://quant-lake/raw\")"),
                Arguments.of("minio scheme", VALID.replace("s3://quant-lake/raw", "minio://quant-lake/raw"),
                        "root_dir", 2, 13, "only local paths and s3:// are supported"),
                Arguments.of("bad bucket name", VALID.replace("s3://quant-lake/raw", "s3://Quant_Lake/raw"),
                        "root_dir", 2, 13, "bucket name 'Quant_Lake' is not valid"),
                Arguments.of("no bucket", VALID.replace("s3://quant-lake/raw", "s3:///raw"),
                        "root_dir", 2, 13, "no bucket in 's3:///raw'"),
                Arguments.of("upper-case scheme", VALID.replace("s3://quant-lake/raw", "S3://quant-lake/raw"),
                        "root_dir", 2, 13, "an object store location starts with s3://"),
                Arguments.of("empty prefix segment", VALID.replace("s3://quant-lake/raw", "s3://quant-lake/raw//x"),
                        "root_dir", 2, 13, "has an empty, '.' or '..' segment"),
                Arguments.of("no checkpoint_dir", VALID.replace("  checkpoint_dir: /var/lib/quants-infra\n", ""),
                        "checkpoint_dir", 1, 1, "an object-store lake keeps its checkpoints and locks on local disk: set"
                                + " checkpoint_dir, e.g. checkpoint_dir: /var/lib/quants-infra"),
                Arguments.of("checkpoint_dir in a bucket", VALID.replace("checkpoint_dir: /var/lib/quants-infra",
                                "checkpoint_dir: s3://quant-lake/state"),
                        "checkpoint_dir", 3, 19, "must be a local directory (got \"s3://quant-lake/state\")"),
                Arguments.of("object_store with a local root", VALID.replace("s3://quant-lake/raw", "/data/lake"),
                        "object_store", 4, 3, "is only for a lake in an object store, root_dir: s3://…; remove it, or set"
                                + " root_dir to s3://bucket/prefix"),
                Arguments.of("no region anywhere", noSection,
                        "object_store.region", 1, 1, "required key is missing, and neither AWS_REGION nor AWS_DEFAULT_REGION"
                                + " is set; set the bucket's region, e.g. region: eu-central-1, or AWS_REGION"),
                Arguments.of("no region in the section", VALID.replace("    region: eu-central-1", "    path_style: true"),
                        "object_store.region", 4, 3, "required key is missing"),
                Arguments.of("empty region", VALID.replace("region: eu-central-1", "region: \"\""),
                        "object_store.region", 5, 13, "must not be empty"),
                Arguments.of("endpoint not http", VALID.replace("    region", "    endpoint: ftp://minio.internal\n    region"),
                        "object_store.endpoint", 5, 15, "endpoint must be an http or https URL with a host,"
                                + " e.g. https://minio.internal:9000: 'ftp://minio.internal'"),
                Arguments.of("endpoint not a URL", VALID.replace("    region", "    endpoint: http://minio internal\n    region"),
                        "object_store.endpoint", 5, 15, "is not a URL (Illegal character in authority"),
                Arguments.of("path_style not a boolean", VALID.replace("    region: eu-central-1", "    region: eu-central-1\n    path_style: yes please"),
                        "object_store.path_style", 6, 17, "must be true or false (got \"yes please\")"),
                Arguments.of("misspelt key", VALID.replace("    region", "    path-style: true\n    region"),
                        "object_store.path-style", 5, 5, "unknown key \"path-style\"; did you mean \"path_style\"?"),
                Arguments.of("object_store without keys", VALID.replace("  object_store:\n    region: eu-central-1\n", "  object_store:\n"),
                        "object_store", 4, 16, "has no value"),
                Arguments.of("a '.' segment", VALID.replace("local_subdir: cex_ticks", "local_subdir: cex/./ticks"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "must make a valid key prefix below root_dir: prefix"
                                + " 'raw/cex/./ticks' has an empty, '.' or '..' segment"),
                Arguments.of("the tool's own directory", VALID.replace("local_subdir: cex_ticks", "local_subdir: .lake"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "\".lake\" is where the lake keeps its leases in the"
                                + " bucket (s3://quant-lake/raw/.lake/); choose another directory"),
                Arguments.of("below the tool's own directory", VALID.replace("local_subdir: cex_ticks", "local_subdir: .lake/cex"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "\".lake/cex\" is where the lake keeps its leases"),
                Arguments.of("an empty segment", VALID.replace("local_subdir: cex_ticks", "local_subdir: cex//ticks"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "must make a valid key prefix below root_dir"),
                Arguments.of("a '..' segment, as for a local lake", VALID.replace("local_subdir: cex_ticks", "local_subdir: a/../b"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "must not contain \"..\""),
                Arguments.of("an absolute local_subdir", VALID.replace("local_subdir: cex_ticks", "local_subdir: /cex"),
                        "profiles.cex_ticks.local_subdir", 13, 21, "must be relative to root_dir"),
                Arguments.of("the same prefix", withOther("cex_ticks"),
                        "profiles.other.local_subdir", 20, 21, "\"cex_ticks\" overlaps profile cex_ticks's local_subdir \"cex_ticks\""),
                Arguments.of("a prefix below another", withOther("cex_ticks/inner"),
                        "profiles.other.local_subdir", 20, 21, "\"cex_ticks/inner\" overlaps profile cex_ticks's local_subdir"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidConfig_reportsPathAndPosition(String name, String yaml, String path, int line, int column, String message) {
        ConfigReport report = parse(yaml, Map.of());
        assertFalse(report.isValid(), name);
        ConfigProblem p = report.errors().stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + report.errors()));
        assertTrue(p.message().contains(message), () -> p.format());
        assertEquals(line + ":" + column, p.line() + ":" + p.column(), () -> p.format());
        if (line > 0) {
            assertTrue(p.format().startsWith("c.yml:" + line + ":" + column + ": " + path + ": "), p.format());
        }
    }

    @Test
    void everyProblemOfTheSection_isReportedAtOnce() {
        String yaml = VALID.replace("s3://quant-lake/raw", "s3://Quant/raw").replace("  checkpoint_dir: /var/lib/quants-infra\n", "")
                .replace("region: eu-central-1", "region: \"\"");
        List<String> paths = parse(yaml, Map.of()).errors().stream().map(ConfigProblem::path).toList();
        assertEquals(List.of("root_dir", "checkpoint_dir", "object_store.region"), paths);
    }
}
