package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.testkit.SshKeygen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Telling an encrypted key file from a plain one before decrypting it, in every format ssh-keygen writes. */
class PrivateKeyTextTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1} passphrase \"{2}\"")
    @CsvSource({"ed25519, , ''", "ed25519, , secret phrase", "ecdsa, , secret phrase", "rsa, , ''",
            "rsa, PEM, ''", "rsa, PEM, secret phrase", "ecdsa, PEM, ''", "ecdsa, PEM, secret phrase",
            "rsa, PKCS8, ''", "rsa, PKCS8, secret phrase"})
    void tellsWhetherAPassphraseIsNeeded(String type, String format, String passphrase) throws IOException {
        Path key = SshKeygen.generate(tmp.resolve("key"), type, format, passphrase);

        PrivateKeyText text = PrivateKeyText.of(Files.readString(key));

        assertEquals(!passphrase.isEmpty(), text.encrypted());
        Optional<byte[]> pub = PrivateKeyText.publicKeyLine(Files.readString(SshKeygen.publicKeyFile(key)));
        if (format == null) {
            assertArrayEquals(pub.orElseThrow(), text.publicKey().orElseThrow(), "OpenSSH's format holds the public key in the clear");
        }
        assertArrayEquals(pub.orElseThrow(), KeyFileReader.declaredPublicKey(key).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(value = {"not a key at all", "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----"},
            delimiter = '|')
    void textThatIsNoKey_isNotEncrypted_soThatLoadingItSaysWhatIsWrong(String text) {
        assertEquals(new PrivateKeyText(false, Optional.empty()).encrypted(), PrivateKeyText.of(text).encrypted());
    }
}
