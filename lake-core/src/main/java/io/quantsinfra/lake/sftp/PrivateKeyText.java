package io.quantsinfra.lake.sftp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;

/**
 * What a private key file tells before it is decrypted: whether it is encrypted (so that a missing
 * passphrase is told apart from a wrong one) and, for the OpenSSH format, its public key. Knows
 * the OpenSSH format, PEM (PKCS#1 "RSA PRIVATE KEY" with {@code Proc-Type: 4,ENCRYPTED}, SEC 1,
 * PKCS#8 and encrypted PKCS#8) and PuTTY's.
 *
 * @param encrypted whether a passphrase is needed to read the private key
 * @param publicKey the public key blob in SSH wire form, when the file holds it in the clear
 */
record PrivateKeyText(boolean encrypted, Optional<byte[]> publicKey) {
    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /** Reads what can be read without the passphrase; text that is no key gives "not encrypted". */
    static PrivateKeyText of(String text) {
        int begin = text.indexOf(OPENSSH_BEGIN);
        if (begin >= 0) {
            return openSsh(text, begin + OPENSSH_BEGIN.length());
        }
        boolean encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                || text.contains("Proc-Type: 4,ENCRYPTED")
                || text.lines().anyMatch(l -> l.startsWith("Encryption:") && !l.substring(11).trim().equals("none"));
        return new PrivateKeyText(encrypted, Optional.empty());
    }

    /** The OpenSSH format: magic, cipher name, KDF name and options, key count, then the public keys in the clear. */
    private static PrivateKeyText openSsh(String text, int bodyStart) {
        int end = text.indexOf(OPENSSH_END, bodyStart);
        String body = text.substring(bodyStart, end < 0 ? text.length() : end).replaceAll("\\s", "");
        try {
            byte[] bytes = Base64.getDecoder().decode(body);
            if (bytes.length < OPENSSH_MAGIC.length
                    || !Arrays.equals(Arrays.copyOf(bytes, OPENSSH_MAGIC.length), OPENSSH_MAGIC)) {
                return new PrivateKeyText(false, Optional.empty());
            }
            Buffer.PlainBuffer b = new Buffer.PlainBuffer(Arrays.copyOfRange(bytes, OPENSSH_MAGIC.length, bytes.length));
            boolean encrypted = !b.readString().equals("none");
            b.readString(); // KDF name
            b.readBytes(); // KDF options
            int keys = b.readUInt32AsInt();
            return new PrivateKeyText(encrypted, keys >= 1 ? Optional.of(b.readBytes()) : Optional.empty());
        } catch (IllegalArgumentException | Buffer.BufferException e) {
            return new PrivateKeyText(false, Optional.empty()); // not a valid key: loading it says so
        }
    }

    /** The blob of a {@code .pub} file's line ({@code type base64 [comment]}), if it is one. */
    static Optional<byte[]> publicKeyLine(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(fields[1]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
