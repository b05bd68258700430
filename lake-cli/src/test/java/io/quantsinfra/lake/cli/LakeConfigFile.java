package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.testkit.SshTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a data_lake YAML file with profiles pointing at test SSH servers. */
final class LakeConfigFile {
    private final Path rootDir;
    private final List<ProfileYaml> profiles = new ArrayList<>();

    LakeConfigFile(Path rootDir) {
        this.rootDir = rootDir;
    }

    /**
     * Adds a profile mirroring {@code server}'s whole served root into {@code <root_dir>/<name>} with
     * {@code -a --partial} and no retention window.
     */
    ProfileYaml profile(String name, SshTestServer server) {
        ProfileYaml p = new ProfileYaml(name);
        p.host = server.host();
        p.port = server.port();
        p.user = server.user();
        p.sshKey = server.clientKeyFile();
        p.knownHosts = server.knownHostsFile();
        p.remoteRoot = server.remoteRoot();
        profiles.add(p);
        return p;
    }

    /** Writes the file and returns its path. */
    Path writeTo(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("data_lake:\n  root_dir: " + quote(rootDir.toString()) + "\n  profiles:\n");
        for (ProfileYaml p : profiles) {
            sb.append("    ").append(p.name).append(":\n");
            if (p.enabled != null) {
                sb.append("      enabled: ").append(p.enabled).append('\n');
            }
            sb.append("      source:\n")
                    .append("        type: ssh\n")
                    .append("        host: ").append(p.host).append('\n')
                    .append("        port: ").append(p.port).append('\n')
                    .append("        user: ").append(p.user).append('\n');
            if (p.sshKey != null) {
                sb.append("        ssh_key: ").append(quote(p.sshKey.toString())).append('\n');
            }
            if (p.sshKeyPassphraseEnv != null) {
                sb.append("        ssh_key_passphrase_env: ").append(p.sshKeyPassphraseEnv).append('\n');
            }
            sb.append("        known_hosts: ").append(quote(p.knownHosts.toString())).append('\n');
            if (p.hostKeyPolicy != null) {
                sb.append("        host_key_policy: ").append(p.hostKeyPolicy).append('\n');
            }
            sb.append("        remote_root: ").append(quote(p.remoteRoot)).append('\n')
                    .append("      local_subdir: ").append(p.localSubdir).append('\n')
                    .append("      retention_days: ").append(p.retentionDays).append('\n')
                    .append("      rsync_args: ").append(quote(p.rsyncArgs)).append("\n");
            for (String line : p.extra) {
                sb.append("      ").append(line).append('\n');
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString());
        return file;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** One profile's settings; fields are set directly by tests. */
    static final class ProfileYaml {
        final String name;
        Boolean enabled;
        String host = "127.0.0.1";
        int port;
        String user;
        /** {@code null} leaves ssh_key out: the seed's default, the agent and ~/.ssh/id_* are tried. */
        Path sshKey;
        String sshKeyPassphraseEnv;
        Path knownHosts;
        String hostKeyPolicy;
        String remoteRoot = "/";
        String localSubdir;
        String rsyncArgs = "-a --partial";
        /** 0 keeps everything: the fixtures use fixed dates in 2024. */
        int retentionDays;
        /** More profile keys, each a line such as {@code "delete_mode: mirror"}. */
        final List<String> extra = new ArrayList<>();

        private ProfileYaml(String name) {
            this.name = name;
            this.localSubdir = name;
        }
    }
}
