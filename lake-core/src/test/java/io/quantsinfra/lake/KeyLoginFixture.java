package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.config.ConfigLoader;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Syncs from a throwaway OpenSSH sshd with a profile written as YAML, so that {@code ssh_key} may be
 * left out (then the seed's default under {@code home}, the agent and {@code home/.ssh/id_*} are
 * tried), with a given environment, into a fresh lake each time.
 */
final class KeyLoginFixture {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final OpenSshServer server;
    private final Path dir;
    /** {@code ~} of the config and {@code $HOME} of the run: holds no keys unless a test puts some there. */
    final Path home;

    KeyLoginFixture(OpenSshServer server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.home = dir.resolve("home");
    }

    /** Fills the served root with a small sample lake. */
    void writeSample() throws IOException {
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2).partSize(1_000, 40_000).seed(3)
                .writeTo(server.servedRoot());
    }

    /** A sync and what it said. */
    record Outcome(SyncReport report, Path mirror, List<String> warnings) {
        /** Asserts that the mirror holds exactly the served tree, byte for byte. */
        void assertIdentical(OpenSshServer server) throws IOException {
            assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror));
        }
    }

    /**
     * Syncs with {@code sourceLines} (e.g. {@code "ssh_key: /k"}) added under {@code source:} and
     * {@code env} plus {@code HOME}.
     */
    Outcome sync(Map<String, String> env, String... sourceLines) {
        Path lake = dir.resolve("lake-" + RUNS.incrementAndGet());
        StringBuilder yaml = new StringBuilder("data_lake:\n  root_dir: '" + lake + "'\n  profiles:\n    p:\n      source:\n"
                + "        type: ssh\n        host: " + server.host() + "\n        port: " + server.port() + "\n"
                + "        user: " + server.user() + "\n        known_hosts: '" + server.knownHostsFile() + "'\n"
                + "        remote_root: '" + server.remoteRoot() + "'\n");
        for (String line : sourceLines) {
            yaml.append("        ").append(line).append('\n');
        }
        yaml.append("      local_subdir: mirror\n      retention_days: 0\n      rsync_args: -a\n");
        DataLakeConfig config = new ConfigLoader(home, dir).parse(yaml.toString(), "test.yml").orThrow();
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        SyncReport report = new DataLake(config).sync("p", LakeFixture.options().withEnv(all), new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        });
        return new Outcome(report, lake.resolve("mirror"), List.copyOf(warnings));
    }
}
