package io.quantsinfra.lake.demo;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The type of a key pair {@link DemoSftpServer} generates, for the client or as a host key, and the OpenSSH file
 * name a client key is written under.
 */
public enum KeyType {

    /** An Ed25519 key pair, written as {@code id_ed25519}. */
    ED25519(KeyPairProvider.SSH_ED25519, 256, "id_ed25519"),

    /** A 3072-bit RSA key pair (the OpenSSH default size), written as {@code id_rsa}. */
    RSA(KeyPairProvider.SSH_RSA, 3072, "id_rsa");

    private final String sshAlgorithm;
    private final int bits;
    private final String fileName;

    KeyType(String sshAlgorithm, int bits, String fileName) {
        this.sshAlgorithm = sshAlgorithm;
        this.bits = bits;
        this.fileName = fileName;
    }

    /**
     * Returns the file name OpenSSH uses for a private key of this type.
     *
     * @return {@code id_ed25519} or {@code id_rsa}; the public key file adds {@code .pub}
     */
    public String fileName() {
        return fileName;
    }

    /** Generates a fresh key pair of this type. */
    KeyPair generate() {
        try {
            return KeyUtils.generateKeyPair(sshAlgorithm, bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + sshAlgorithm + " key pair", e);
        }
    }
}
