package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.sshconfig.ConnectionSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which differences between two profiles keep them on separate connections, and which do not. */
class ConnectionKeyTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/lake", "SSH_AUTH_SOCK", "/run/agent.sock",
            "LAKE_PASS", "secret one");

    private static Profile profile(Consumer<DataLakeConfig.ProfileBuilder> change) {
        return DataLakeConfig.builder(Path.of("/srv/lake"))
                .profile("p", p -> {
                    p.host("collector1").port(22).user("lake").sshKey(Path.of("/keys/id_ed25519"))
                            .knownHosts(Path.of("/keys/known_hosts")).noSshConfig().sshKeyPassphraseEnv("LAKE_PASS")
                            .remoteRoot("/data/fx").localSubdir("fx").rsyncArgs("-a");
                    change.accept(p);
                })
                .build().requireProfile("p");
    }

    private static ConnectionKey key(Consumer<DataLakeConfig.ProfileBuilder> change, Map<String, String> env) {
        Profile p = profile(change);
        return ConnectionKey.of(p, ConnectionSettings.of(p, env), env);
    }

    private static ConnectionKey key(Consumer<DataLakeConfig.ProfileBuilder> change) {
        return key(change, ENV);
    }

    private static Map<String, String> envWith(String name, String value) {
        Map<String, String> env = new HashMap<>(ENV);
        env.put(name, value);
        return env;
    }

    @Test
    void whatOnlyTheProfileUses_sharesTheConnection() {
        ConnectionKey base = key(p -> { });

        ConnectionKey same = key(p -> p.remoteRoot("/data/rates").localSubdir("rates").readAhead(4).parallelFiles(3)
                .rsyncArgs("-a --delete --exclude=*.tmp --bwlimit=1m"));
        assertEquals(base, same);
        assertEquals(base.hashCode(), same.hashCode(), "equal keys hash alike, or the shared map would miss");
    }

    @Test
    void whatChangesTheConnection_makesAnotherOne() {
        ConnectionKey base = key(p -> { });

        assertNotEquals(base, key(p -> p.host("collector2")));
        assertNotEquals(base, key(p -> p.port(2222)));
        assertNotEquals(base, key(p -> p.user("other")));
        assertNotEquals(base, key(p -> p.sshKey(Path.of("/keys/id_rsa"))));
        assertNotEquals(base, key(p -> p.knownHosts(Path.of("/other/known_hosts"))));
        assertNotEquals(base, key(p -> p.hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW)));
        assertNotEquals(base, key(p -> p.rsyncArgs("-az")));
        assertNotEquals(base, key(p -> p.rsyncArgs("-a --timeout=5")));
        assertNotEquals(base, key(p -> p.rsyncArgs("-a --contimeout=5")));
        assertNotEquals(base, key(p -> p.sftpChannels(2)));
        assertNotEquals(base, key(p -> p.sshKeyPassphraseEnv("OTHER_PASS")));
    }

    @Test
    void theEnvironmentThatLogsIn_makesAnotherOne() {
        ConnectionKey base = key(p -> { });

        assertNotEquals(base, key(p -> { }, envWith("HOME", "/home/other")));
        assertNotEquals(base, key(p -> { }, envWith("SSH_AUTH_SOCK", "/run/other.sock")));
        assertNotEquals(base, key(p -> { }, envWith("LAKE_PASS", "secret two")));
        assertEquals(base, key(p -> { }, envWith("UNRELATED", "x")));
    }

    @Test
    void thePassphrase_isNotKeptInTheKey() {
        assertFalse(key(p -> { }).toString().contains("secret one"), key(p -> { }).toString());
    }
}
