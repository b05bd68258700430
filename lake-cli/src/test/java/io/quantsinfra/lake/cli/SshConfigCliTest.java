package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with a profile whose host is an ssh_config alias: {@code validate} shows where each
 * connection value came from, {@code sync} connects through it and its header names the real host.
 */
class SshConfigCliTest {
    @TempDir
    Path dir;

    /** A config whose one profile names host {@code myalias}, its port, and the ssh_config file {@code sshConfig}. */
    private Path config(Path sshConfig, int port, String remoteRoot) throws IOException {
        return Files.writeString(dir.resolve("data_lake.yml"), """
                data_lake:
                  root_dir: '%s'
                  profiles:
                    p:
                      source:
                        type: ssh
                        host: myalias
                        port: %d
                        ssh_config: '%s'
                        remote_root: '%s'
                      local_subdir: p
                      retention_days: 0
                """.formatted(dir.resolve("lake"), port, sshConfig, remoteRoot));
    }

    private static String row(String setting, String value, String origin) {
        return " {6}" + Pattern.quote(setting) + " +" + Pattern.quote(value) + " +" + Pattern.quote(origin);
    }

    @Test
    void validate_showsWhereEachValueCameFrom_andCheckRemoteConnectsThroughTheAlias() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"))) {
            Path sshConfig = Files.writeString(dir.resolve("ssh_config"), """
                    Host myalias
                      HostName 127.0.0.1
                      Port 1
                      User %s
                      IdentityFile %s
                      UserKnownHostsFile %s
                    Match user nobody
                      Port 2
                    """.formatted(server.user(), server.clientKeyFile(), server.knownHostsFile()));
            Path file = config(sshConfig, server.port(), server.remoteRoot());

            CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--check-remote", "--config", file.toString());

            assertEquals(ExitCode.OK, r.code(), r::toString);
            String where = server.user() + "@127.0.0.1:" + server.port() + ":" + server.remoteRoot();
            r.assertLinesInOrder(
                    "✓ .* is valid: 1 profile, .*",
                    " +p +enabled +" + Pattern.quote(where) + " → .*",
                    row("ssh_config", sshConfig.toString(), "profile (source.ssh_config)"),
                    row("host", "127.0.0.1", "ssh_config " + sshConfig + ":2"),
                    row("port", String.valueOf(server.port()), "profile (source.port)"),
                    row("user", server.user(), "ssh_config " + sshConfig + ":4"),
                    row("ssh_key", server.clientKeyFile().toString(), "ssh_config " + sshConfig + ":5"),
                    row("known_hosts", server.knownHostsFile().toString(), "ssh_config " + sshConfig + ":6"),
                    row("connect_timeout", "30 s", "default"),
                    row("server_alive_interval", "5 s", "default"),
                    "✓ p: connected to " + Pattern.quote(where) + ", remote_root is readable");
            assertTrue(r.err().contains("warning: " + sshConfig + ":7: Match blocks are not supported"), r::toString);

            CliRunner.Result json = new CliRunner(dir).run("data-lake", "validate", "--format", "json", "--config",
                    file.toString());
            assertEquals(ExitCode.OK, json.code(), json::toString);
            JsonNode p = new ObjectMapper().readTree(json.out()).get("profiles").get(0);
            assertEquals("ssh_config " + sshConfig + ":4", p.get("connection").get("user").get("from").textValue());
            assertEquals(String.valueOf(server.port()), p.get("connection").get("port").get("value").textValue());
            assertEquals(1, p.get("ssh_config_warnings").size());
        }
    }

    @Test
    void sync_throughAnAlias_showsTheRealHostInItsHeader() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"))) {
            Files.writeString(server.servedRoot().resolve("a.parquet"), "data");
            Path sshConfig = Files.writeString(dir.resolve("ssh_config"), """
                    Host myalias
                      HostName 127.0.0.1
                      User %s
                      IdentityFile %s
                      UserKnownHostsFile %s
                    """.formatted(server.user(), server.clientKeyFile(), server.knownHostsFile()));
            Path file = config(sshConfig, server.port(), server.remoteRoot());

            CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "p", "--config", file.toString());

            assertEquals(ExitCode.OK, r.code(), r::toString);
            r.assertLinesInOrder(Pattern.quote("Remote:  " + server.user() + "@127.0.0.1:" + server.remoteRoot()
                    + " (port " + server.port() + ")"));
            assertEquals("data", Files.readString(dir.resolve("lake/p/a.parquet")));
        }
    }

    @Test
    void aBadSshConfigLine_makesValidateExit2_namingTheLine() throws IOException {
        Path sshConfig = Files.writeString(dir.resolve("ssh_config"), "Host myalias\n  ServerAliveInterval often\n");
        Path file = config(sshConfig, 22, "/data");

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "validate", "--check-remote", "--config", file.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        r.assertLinesInOrder(
                " +p +enabled +.*",
                "    ✗ " + Pattern.quote(sshConfig + ":2: ServerAliveInterval must be a time") + ".*",
                "      hint: fix the value.*");
        assertTrue(List.of(r.out().split("\n")).stream().noneMatch(l -> l.contains("connected to")), r::toString);
        assertTrue(!r.all().contains("Exception"), r::toString);
    }
}
