package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.demo.KeyType;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host keys checked against known_hosts lines written as OpenSSH writes them (plain, hashed,
 * {@code [host]:port}, {@code @revoked}, {@code @cert-authority}), over real connections to the
 * embedded server: what OpenSSH refuses is refused with its own message, and nothing is written.
 */
@ExtendWith(SftpServerExtension.class)
class KnownHostsVerifierTest {
    @TempDir
    Path tmp;

    private SftpTestServer server;
    private Path knownHosts;

    @BeforeEach
    void setUp(SftpTestServer server) throws Exception {
        this.server = server;
        this.knownHosts = tmp.resolve("known_hosts");
        Files.writeString(server.servedRoot().resolve("f.parquet"), "data");
    }

    private SyncReport sync(SftpTestServer to, HostKeyPolicy policy, String... lines) throws Exception {
        Files.writeString(knownHosts, String.join("\n", lines) + "\n");
        return new DataLake(LakeFixture.config(to, tmp.resolve("lake"), "-a",
                p -> p.knownHosts(knownHosts).hostKeyPolicy(policy))).sync("p", LakeFixture.options(), SyncListener.NONE);
    }

    /** Syncs, expects a refusal, and checks that neither the lake nor known_hosts changed. */
    private LakeException refused(HostKeyPolicy policy, String... lines) throws Exception {
        LakeException e = assertThrows(LakeException.class, () -> sync(server, policy, lines));
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertEquals(Map.of(), LakeFixture.snapshot(tmp.resolve("lake/mirror")), "nothing may be mirrored");
        assertEquals(String.join("\n", lines) + "\n", Files.readString(knownHosts), "known_hosts must not change");
        return e;
    }

    private String hostPattern() {
        return "[127.0.0.1]:" + server.port();
    }

    private static String line(String marker, String hosts, PublicKey key) {
        return (marker.isEmpty() ? "" : marker + " ") + hosts + " " + PublicKeyEntry.toString(key);
    }

    /** A hashed host name as {@code ssh-keygen -H} and {@code HashKnownHosts yes} write it. */
    private static String hashed(String host) throws GeneralSecurityException {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        Base64.Encoder b64 = Base64.getEncoder();
        return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(mac.doFinal(host.getBytes(StandardCharsets.UTF_8)));
    }

    private static PublicKey otherEd25519Key() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic();
    }

    private void assertRevokedMessage(LakeException e) {
        assertTrue(e.getMessage().startsWith("the host key of lake@127.0.0.1:" + server.port() + " (SHA256:"), e.getMessage());
        assertTrue(e.getMessage().endsWith(") is marked @revoked in " + knownHosts + "; refusing to connect"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + knownHosts),
                e.hint().toString());
    }

    @Test
    void revokedKey_withAPlainLineAfterIt_isRefusedAsRevoked() throws Exception {
        LakeException e = refused(HostKeyPolicy.STRICT,
                line("@revoked", hostPattern(), server.hostKey()), line("", hostPattern(), server.hostKey()));
        assertRevokedMessage(e);
    }

    @Test
    void revokedKey_withAPlainLineBeforeIt_isRefusedAsRevoked_evenWithAcceptNew() throws Exception {
        LakeException e = refused(HostKeyPolicy.ACCEPT_NEW,
                line("", hostPattern(), server.hostKey()), line("@revoked", "127.0.0.1,*", server.hostKey()));
        assertRevokedMessage(e);
    }

    @Test
    void revokedKey_onAHashedLine_aloneInTheFile_isRefusedAsRevoked_notAsChanged() throws Exception {
        LakeException e = refused(HostKeyPolicy.STRICT, line("@revoked", hashed(hostPattern()), server.hostKey()));
        assertRevokedMessage(e);
    }

    @Test
    void revokedLineOfAnotherKey_doesNotStopTheHostsOwnKey() throws Exception {
        assertEquals(1, sync(server, HostKeyPolicy.STRICT,
                line("@revoked", hostPattern(), otherEd25519Key()), line("", hashed(hostPattern()), server.hostKey()))
                .filesTransferred());
    }

    /** OpenSSH's rule: a negated pattern that matches takes the line away from the host. */
    @Test
    void lineThatExcludesTheHost_doesNotVouchForIt() throws Exception {
        LakeException e = refused(HostKeyPolicy.STRICT, line("", "*,!" + hostPattern(), server.hostKey()));
        assertEquals("unknown host lake@127.0.0.1:" + server.port() + ": its key is not in " + knownHosts, e.getMessage());
    }

    @Test
    void lineThatExcludesAnotherHost_vouchesForThisOne() throws Exception {
        assertEquals(1, sync(server, HostKeyPolicy.STRICT, line("", "!elsewhere,*", server.hostKey())).filesTransferred());
    }

    @Test
    void revokedLineThatExcludesTheHost_doesNotRevokeItsKey() throws Exception {
        assertEquals(1, sync(server, HostKeyPolicy.STRICT, line("@revoked", "*,!" + hostPattern(), server.hostKey()),
                line("", hostPattern(), server.hostKey())).filesTransferred());
    }

    @Test
    void certAuthorityLineOnly_isRefused_hostCertificatesAreNotSupported() throws Exception {
        LakeException e = refused(HostKeyPolicy.ACCEPT_NEW, line("@cert-authority", "*", otherEd25519Key()));
        assertEquals("cannot verify the host key of lake@127.0.0.1:" + server.port() + ": " + knownHosts
                + " vouches for it only with @cert-authority lines, and host certificates are not supported;"
                + " refusing to connect", e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + knownHosts),
                e.hint().toString());
    }

    @Test
    void certAuthorityLineHoldingTheHostsOwnKey_isNeverTrustedAsAPlainKey() throws Exception {
        LakeException e = refused(HostKeyPolicy.STRICT, line("@cert-authority", hostPattern(), server.hostKey()));
        assertTrue(e.getMessage().contains("host certificates are not supported"), e.getMessage());
    }

    @Test
    void hostKnownOnlyByItsRsaKey_connectsInStrictMode(@TempDir Path root) throws Exception {
        try (SftpTestServer both = SftpTestServer.builder(root).hostKeyTypes(KeyType.ED25519, KeyType.RSA).start()) {
            Files.writeString(both.servedRoot().resolve("f.parquet"), "data");
            String rsaLine = line("", "[127.0.0.1]:" + both.port(), both.hostKey(KeyType.RSA));

            assertEquals(1, sync(both, HostKeyPolicy.STRICT, rsaLine).filesTransferred());
            assertEquals(List.of(rsaLine), Files.readAllLines(knownHosts));
        }
    }

    @Test
    void keyOfATypeNotKnownForTheHost_isRefusedInStrictMode_namingBothTypes(@TempDir Path root) throws Exception {
        PublicKey rsa;
        try (SftpTestServer rsaOnly = SftpTestServer.builder(root).hostKeyTypes(KeyType.RSA).start()) {
            rsa = rsaOnly.hostKey();
        }

        LakeException e = refused(HostKeyPolicy.STRICT, line("", hostPattern(), rsa));

        assertTrue(e.getMessage().startsWith("lake@127.0.0.1:" + server.port() + " presents a ssh-ed25519 host key (SHA256:"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("), but " + knownHosts + " knows it only by ssh-rsa keys; refusing to connect"),
                e.getMessage());
    }

    @Test
    void keyOfATypeNotKnownForTheHost_isRecordedWithAcceptNew(@TempDir Path root) throws Exception {
        String rsaLine;
        try (SftpTestServer rsaOnly = SftpTestServer.builder(root).hostKeyTypes(KeyType.RSA).start()) {
            rsaLine = line("", hostPattern(), rsaOnly.hostKey());
        }

        assertEquals(1, sync(server, HostKeyPolicy.ACCEPT_NEW, rsaLine).filesTransferred());

        assertEquals(List.of(rsaLine, server.knownHostsLine()), Files.readAllLines(knownHosts));
    }

    @Test
    void changedKey_isStillRefusedAsChanged() throws Exception {
        LakeException e = refused(HostKeyPolicy.ACCEPT_NEW, line("", hashed(hostPattern()), otherEd25519Key()));
        assertTrue(e.getMessage().startsWith("HOST KEY CHANGED for lake@127.0.0.1:" + server.port()
                + " (it now presents SHA256:"), e.getMessage());
    }
}
