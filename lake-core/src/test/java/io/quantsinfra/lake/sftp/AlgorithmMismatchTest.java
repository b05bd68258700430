package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;

/** sshj's "Unable to reach a settlement" turned into a message with both lists and a hint with the fix. */
class AlgorithmMismatchTest {
    private static final String WHERE = "u@h:22";

    private static AlgorithmMismatch.Explanation explain(String what, String ours, String theirs) {
        TransportException sshj = new TransportException("Unable to reach a settlement of " + what + ": [" + ours + "] and ["
                + theirs + "]");
        return AlgorithmMismatch.explain(new TransportException(sshj), WHERE).orElseThrow();
    }

    @Test
    void aCipherMismatch_namesBothListsAndTheCiphersSetting() {
        AlgorithmMismatch.Explanation e = explain("Client2ServerCipherAlgorithms",
                "aes128-gcm@openssh.com, chacha20-poly1305@openssh.com", "aes256-cbc, 3des-cbc");

        assertEquals("cannot agree on a cipher with u@h:22: the server offers aes256-cbc,3des-cbc; this client offers"
                + " aes128-gcm@openssh.com,chacha20-poly1305@openssh.com", e.message());
        assertTrue(e.hint().startsWith("allow one of this client's in the server's sshd_config, e.g. Ciphers "), e.hint());
    }

    @Test
    void aMacMismatch_pointsAtMacs() {
        AlgorithmMismatch.Explanation e = explain("Server2ClientMACAlgorithms", "hmac-sha2-256-etm@openssh.com",
                "umac-128-etm@openssh.com");

        assertTrue(e.message().startsWith("cannot agree on a MAC with u@h:22: the server offers umac-128-etm@openssh.com;"),
                e.message());
        assertTrue(e.hint().contains("MACs hmac-sha2-256-etm@openssh.com"), e.hint());
    }

    @Test
    void aPostQuantumOnlyServer_isToldApart_withoutTheExtensionMarkers() {
        AlgorithmMismatch.Explanation e = explain("KeyExchangeAlgorithms",
                "curve25519-sha256, ext-info-c, kex-strict-c-v00@openssh.com",
                "sntrup761x25519-sha512@openssh.com,kex-strict-s-v00@openssh.com");

        assertEquals("cannot agree on a key exchange with u@h:22: it allows only post-quantum key exchange, which this"
                + " client cannot do yet: the server offers sntrup761x25519-sha512@openssh.com; this client offers"
                + " curve25519-sha256", e.message());
        assertTrue(e.hint().endsWith("KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256"), e.hint());
    }

    @Test
    void aClassicKeyExchangeMismatch_suggestsCurve25519() {
        AlgorithmMismatch.Explanation e = explain("KeyExchangeAlgorithms", "curve25519-sha256",
                "diffie-hellman-group1-sha1");

        assertTrue(e.message().startsWith("cannot agree on a key exchange with u@h:22: the server offers"), e.message());
        assertTrue(e.hint().contains("KexAlgorithms curve25519-sha256"), e.hint());
    }

    @Test
    void aHostKeyMismatch_asksForAKeyOfATypeWeCheck() {
        AlgorithmMismatch.Explanation e = explain("HostKeyAlgorithms", "ssh-ed25519, rsa-sha2-512", "ssh-dss");

        assertTrue(e.message().startsWith("cannot agree on a host key type with u@h:22: the server offers ssh-dss;"),
                e.message());
        assertTrue(e.hint().contains("HostKey"), e.hint());
    }

    @Test
    void aCompressionMismatch_mentionsDashZ() {
        AlgorithmMismatch.Explanation e = explain("Client2ServerCompressionAlgorithms", "none", "zlib@openssh.com");

        assertTrue(e.hint().contains("-z"), e.hint());
    }

    @Test
    void anyOtherFailure_isNotExplainedHere() {
        assertEquals(Optional.empty(), AlgorithmMismatch.explain(new TransportException("Broken transport"), WHERE));
        assertEquals(Optional.empty(), AlgorithmMismatch.explain(new TransportException((String) null), WHERE));
    }
}
