package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Key authentication with ECDSA, PEM and passphrase-protected keys, against the embedded server. */
@ExtendWith(SftpServerExtension.class)
class KeyFormatsTest {
    @TempDir
    Path tmp;

    private static KeyPair generate(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (algorithm.equals("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private Path openssh(KeyPair kp, String passphrase) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "test", encryption, out);
        return write(out.toByteArray());
    }

    /** PKCS#8 PEM, as {@code ssh-keygen -m PKCS8} or {@code openssl genpkey} write it. */
    private Path pem(KeyPair kp) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPrivate().getEncoded());
        return write(("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A P-256 key as {@code ssh-keygen -t ecdsa -m PEM} writes it: SEC 1 "EC PRIVATE KEY" DER,
     * which carries the public point (PKCS#8 from the JDK does not).
     */
    private Path sec1Pem(KeyPair kp) throws Exception {
        java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) kp.getPrivate();
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) kp.getPublic();
        ByteArrayOutputStream der = new ByteArrayOutputStream();
        der.write(new byte[] {0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20});
        der.write(unsigned32(priv.getS()));
        der.write(new byte[] {(byte) 0xa0, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07});
        der.write(new byte[] {(byte) 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04});
        der.write(unsigned32(pub.getW().getAffineX()));
        der.write(unsigned32(pub.getW().getAffineY()));
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der.toByteArray());
        return write(("-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] unsigned32(java.math.BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private Path write(byte[] key) throws Exception {
        Path file = Files.createTempFile(tmp, "key", "");
        Files.write(file, key);
        return file;
    }

    private SyncReport sync(SftpTestServer server, Path key, String passphraseEnv, Map<String, String> env) {
        DataLakeConfig config = LakeFixture.config(server, tmp.resolve("lake"), "-a", p -> {
            p.sshKey(key);
            if (passphraseEnv != null) {
                p.sshKeyPassphraseEnv(passphraseEnv);
            }
        });
        return new DataLake(config).sync("p", LakeFixture.options().withEnv(env), SyncListener.NONE);
    }

    private static void remoteFile(SftpTestServer server) throws Exception {
        Files.writeString(server.servedRoot().resolve("f.parquet"), "data");
    }

    @Test
    void ecdsaKey_inOpenSshFormat(SftpTestServer server) throws Exception {
        remoteFile(server);
        KeyPair kp = generate("EC");
        server.authorizeKey(kp.getPublic());
        assertEquals(1, sync(server, openssh(kp, null), null, Map.of()).filesTransferred());
    }

    @Test
    void rsaKey_inPemFormat(SftpTestServer server) throws Exception {
        remoteFile(server);
        KeyPair kp = generate("RSA");
        server.authorizeKey(kp.getPublic());
        assertEquals(Checkpoint.Status.SUCCESS, sync(server, pem(kp), null, Map.of()).status());
    }

    @Test
    void ecdsaKey_inPemFormat(SftpTestServer server) throws Exception {
        remoteFile(server);
        KeyPair kp = generate("EC");
        server.authorizeKey(kp.getPublic());
        assertEquals(Checkpoint.Status.SUCCESS, sync(server, sec1Pem(kp), null, Map.of()).status());
    }

    @Test
    void passphraseProtectedKey_readsItsPassphraseFromTheNamedVariable(SftpTestServer server) throws Exception {
        remoteFile(server);
        KeyPair kp = generate("EC");
        server.authorizeKey(kp.getPublic());
        Path key = openssh(kp, "correct horse");
        assertEquals(1, sync(server, key, "LAKE_KEY_PASSPHRASE", Map.of("LAKE_KEY_PASSPHRASE", "correct horse")).filesTransferred());

        LakeException unset = assertThrows(LakeException.class, () -> sync(server, key, "LAKE_KEY_PASSPHRASE", Map.of()));
        assertEquals(LakeException.Kind.CONNECTION, unset.kind());
        assertTrue(unset.getMessage().contains("$LAKE_KEY_PASSPHRASE is not set"), unset.getMessage());

        LakeException wrong = assertThrows(LakeException.class,
                () -> sync(server, key, "LAKE_KEY_PASSPHRASE", Map.of("LAKE_KEY_PASSPHRASE", "wrong")));
        assertEquals(LakeException.Kind.CONNECTION, wrong.kind());
        assertEquals("the passphrase in $LAKE_KEY_PASSPHRASE does not decrypt the key " + key, wrong.getMessage());
    }
}
