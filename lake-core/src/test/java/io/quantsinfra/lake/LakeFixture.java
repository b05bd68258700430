package io.quantsinfra.lake;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Builds a lake over a test SFTP server and compares trees. */
public final class LakeFixture {
    private LakeFixture() {
    }

    /**
     * A config with one profile "p" mirroring the server's whole root into {@code lake/mirror},
     * with no retention window (the fixtures use fixed dates); {@code extra} may set one.
     */
    public static DataLakeConfig config(SftpTestServer server, Path lake, String rsyncArgs,
                                 Consumer<DataLakeConfig.ProfileBuilder> extra) {
        return DataLakeConfig.builder(lake)
                .profile("p", p -> {
                    p.host(server.host()).port(server.port()).user(server.user())
                            .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                            .remoteRoot("/").localSubdir("mirror").rsyncArgs(rsyncArgs).retentionDays(0);
                    extra.accept(p);
                })
                .build();
    }

    public static DataLakeConfig config(SftpTestServer server, Path lake, String rsyncArgs) {
        return config(server, lake, rsyncArgs, p -> { });
    }

    /** Options for tests: fast reconnect backoff, plenty of disk. */
    public static SyncOptions options() {
        return SyncOptions.defaults().withReconnectBackoff(Duration.ofMillis(50)).withDiskSpace(dir -> Long.MAX_VALUE / 4);
    }

    /**
     * Every entry under {@code root} (no symlinks followed) with its type, size, mtime and a
     * content hash: two trees are identical when their snapshots are equal.
     */
    public static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link->" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, "file " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() / 1000 + " " + sha256(p));
                }
            }
        }
        return out;
    }

    /** Like {@link #snapshot} but without mtimes, for trees synced without -t. */
    public static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        snapshot(root).forEach((k, v) -> out.put(k, v.startsWith("file ") ? v.replaceFirst("^file (\\d+) \\d+ ", "file $1 ") : v));
        return out;
    }

    public static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
