package io.quantsinfra.lake.sshconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.SshSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge of a profile with its host's ssh_config: precedence, tokens, jump hosts, and where each value came from. */
class ConnectionSettingsTest {
    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString(), "KEYS", "/srv/keys");
    }

    private Profile profile(Consumer<DataLakeConfig.ProfileBuilder> settings) {
        return DataLakeConfig.builder(home.resolve("lake"))
                .profile("p", p -> {
                    p.host("myalias").remoteRoot("/data").localSubdir("p");
                    settings.accept(p);
                })
                .build().requireProfile("p");
    }

    private Path userConfig(String text) throws IOException {
        Files.createDirectories(home.resolve(".ssh"));
        return Files.writeString(home.resolve(".ssh/config"), text);
    }

    private static Map<String, String> shown(ConnectionSettings s) {
        return s.provenance().stream().collect(Collectors.toMap(ConnectionSettings.Provenance::setting,
                p -> p.value() + " <- " + p.origin()));
    }

    @Test
    void anAlias_takesHostNamePortUserKeyAndKnownHosts_fromTheUsersConfig() throws IOException {
        Path file = userConfig("""
                Host myalias
                  HostName %h.example.com
                  Port 2222
                  User lake
                  IdentityFile ~/.ssh/id_%r_%n
                  IdentityFile ${KEYS}/%u@%h:%p
                  UserKnownHostsFile %d/kh
                  ConnectTimeout 9
                  ServerAliveInterval 0
                  ServerAliveCountMax 2
                """);
        ConnectionSettings s = ConnectionSettings.of(profile(p -> { }), env());
        SshEndpoint t = s.target();
        assertEquals("myalias.example.com", t.hostName());
        assertEquals(2222, t.port());
        assertEquals("lake", t.user());
        assertEquals(home.resolve(".ssh/id_lake_myalias"), t.sshKey(), "the first IdentityFile is the key");
        assertEquals(List.of(home.resolve(".ssh/id_lake_myalias"),
                Path.of("/srv/keys/" + SshSource.localUser() + "@myalias.example.com:2222")), t.identityFiles());
        assertEquals(home.resolve("kh"), t.knownHosts());
        assertEquals(Duration.ofSeconds(9), s.connectTimeout());
        assertEquals(Duration.ZERO, s.serverAliveInterval());
        assertEquals(2, s.serverAliveCountMax());
        assertTrue(s.jumps().isEmpty());
        assertEquals("lake@myalias.example.com:2222", t.where());
        Map<String, String> shown = shown(s);
        assertEquals(file + " <- default (~/.ssh/config)", shown.get("ssh_config"));
        assertEquals("myalias.example.com <- ssh_config " + file + ":2", shown.get("host"));
        assertEquals("2222 <- ssh_config " + file + ":3", shown.get("port"));
        assertEquals("9 s <- ssh_config " + file + ":8", shown.get("connect_timeout"));
        SshSource asSource = t.asSource(profile(p -> { }).source());
        assertEquals("myalias.example.com", asSource.host());
        assertTrue(asSource.isExplicit(SshSource.Key.PORT) && asSource.isExplicit(SshSource.Key.SSH_KEY));
    }

    @Test
    void explicitProfileKeys_winOverSshConfig_whichWinsOverDefaults() throws IOException {
        Path file = userConfig("Host *\n  Port 2222\n  User lake\n  IdentityFile /k/id\n  UserKnownHostsFile /k/kh\n"
                + "  ConnectTimeout 9\n");
        ConnectionSettings s = ConnectionSettings.of(profile(p -> p.port(40022).user("ubuntu").sshKey(Path.of("/mine"))
                .knownHosts(Path.of("/my_kh")).rsyncArgs("-a --contimeout=3")), env());
        assertEquals(40022, s.target().port(), "the profile's port beats ssh_config's Port");
        assertEquals("ubuntu", s.target().user());
        assertEquals(Path.of("/mine"), s.target().sshKey());
        assertEquals(List.of(Path.of("/k/id")), s.target().identityFiles(), "still offered to the identity list");
        assertEquals(Path.of("/my_kh"), s.target().knownHosts());
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        assertEquals("40022 <- profile (source.port)", shown(s).get("port"));
        assertEquals("3 s <- profile (rsync_args --contimeout)", shown(s).get("connect_timeout"));

        ConnectionSettings defaults = ConnectionSettings.of(profile(p -> p.noSshConfig()), env());
        assertEquals(6677, defaults.target().port());
        assertEquals(SshSource.localUser(), defaults.target().user());
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh/lightsail_key.pem"), defaults.target().sshKey(),
                "the builder's default, under user.home");
        assertEquals(ConnectionSettings.DEFAULT_CONNECT_TIMEOUT, defaults.connectTimeout());
        assertEquals("6677 <- default", shown(defaults).get("port"));
        assertEquals(SshSource.localUser() + " <- default (the local account)", shown(defaults).get("user"));
        assertEquals("none <- profile (source.ssh_config)", shown(defaults).get("ssh_config"));
        assertFalse(shown(defaults).get("port").contains(file.toString()));
    }

    @Test
    void theUsersConfig_missing_isNone_aNamedOne_missing_isAConfigError() {
        ConnectionSettings s = ConnectionSettings.of(profile(p -> { }), env());
        assertEquals("myalias", s.target().hostName());
        assertTrue(shown(s).get("ssh_config").contains("(not found: none read)"));

        Path named = home.resolve("etc/ssh_config");
        LakeException e = assertThrows(LakeException.class,
                () -> ConnectionSettings.of(profile(p -> p.sshConfig(named)), env()));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("the ssh_config file " + named + " named by source.ssh_config of profile p"
                + " does not exist"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("source.ssh_config: none"));
    }

    @Test
    void aNamedFile_isReadInsteadOfTheUsersOwn() throws IOException {
        userConfig("Host *\n  Port 1111\n");
        Path named = Files.writeString(home.resolve("cron_ssh_config"), "Host myalias\n  Port 2222\n");
        ConnectionSettings s = ConnectionSettings.of(profile(p -> p.sshConfig(named)), env());
        assertEquals(2222, s.target().port());
        assertEquals(named + " <- profile (source.ssh_config)", shown(s).get("ssh_config"));
    }

    @Test
    void jumpHosts_asSshReachesThem() throws IOException {
        Path file = userConfig("""
                Host myalias
                  HostName 10.0.0.11
                  ProxyJump bastion,carol@10.0.0.2:2200
                Host bastion
                  HostName bastion.example.com
                  User jumper
                  IdentityFile /k/jump_%h
                  UserKnownHostsFile /k/jump_kh
                """);
        ConnectionSettings s = ConnectionSettings.of(profile(p -> p.sshKey(Path.of("/k/target"))), env());
        assertEquals(2, s.jumps().size());
        SshEndpoint first = s.jumps().get(0);
        assertEquals("jumper@bastion.example.com:22", first.where(), "ssh's port 22 for a jump host, not 6677");
        assertEquals(Path.of("/k/jump_bastion.example.com"), first.sshKey());
        assertEquals(Path.of("/k/jump_kh"), first.knownHosts());
        SshEndpoint second = s.jumps().get(1);
        assertEquals("carol@10.0.0.2:2200", second.where());
        assertEquals(Path.of("/k/target"), second.sshKey(), "no IdentityFile of its own: the target's key");
        assertEquals(s.target().knownHosts(), second.knownHosts());
        assertEquals("ssh_config " + file + ":3", s.proxyJump().orElseThrow().toString());
        assertEquals("jumper@bastion.example.com:22, then carol@10.0.0.2:2200 <- ssh_config " + file + ":3",
                shown(s).get("proxy_jump"));
        userConfig("ProxyJump j\n");
        assertEquals(SshSource.localUser() + "@j:22", ConnectionSettings.of(profile(p -> { }), env()).jumps().get(0).where(),
                "neither ProxyJump nor ssh_config name a user or port: the local account and 22, as ssh");
    }

    @Test
    void proxyCommand_isRefused_withAFix() throws IOException {
        Path file = userConfig("Host myalias\n  ProxyCommand ssh -W %h:%p bastion\n");
        LakeException e = assertThrows(LakeException.class, () -> ConnectionSettings.of(profile(p -> { }), env()));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(file + ":2: ProxyCommand is not supported"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("ProxyJump"));
        userConfig("Host myalias\n  ProxyCommand none\n");
        assertTrue(ConnectionSettings.of(profile(p -> { }), env()).jumps().isEmpty());
    }

    @Test
    void unknownTokens_andUnsetVariables_areErrorsAtTheirLine() throws IOException {
        Path file = userConfig("IdentityFile ~/.ssh/%C\n");
        LakeException e = assertThrows(LakeException.class, () -> ConnectionSettings.of(profile(p -> { }), env()));
        assertTrue(e.getMessage().startsWith(file + ":1: IdentityFile uses the token %C"), e.getMessage());
        userConfig("UserKnownHostsFile ${NOPE}/kh\n");
        e = assertThrows(LakeException.class, () -> ConnectionSettings.of(profile(p -> { }), env()));
        assertTrue(e.getMessage().startsWith(file + ":1: UserKnownHostsFile uses ${NOPE}, which is not set"), e.getMessage());
        userConfig("HostName %p.example\n");
        e = assertThrows(LakeException.class, () -> ConnectionSettings.of(profile(p -> { }), env()));
        assertTrue(e.getMessage().startsWith(file + ":1: HostName may use only the token %h"), e.getMessage());
    }
}
