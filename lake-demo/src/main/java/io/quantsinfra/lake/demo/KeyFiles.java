package io.quantsinfra.lake.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Writes key pairs in the unencrypted OpenSSH ({@code openssh-key-v1}) format, as {@code ssh-keygen} does. */
final class KeyFiles {

    private static final String PRIVATE_KEY_PERMISSIONS = "rw-------";
    private static final String PUBLIC_KEY_PERMISSIONS = "rw-r--r--";

    private KeyFiles() {
    }

    /**
     * Writes {@code keyPair} to {@code privateKeyFile} (mode 0600) and its public half to
     * {@code privateKeyFile + ".pub"} (mode 0644), replacing existing files.
     */
    static void write(KeyPair keyPair, Path privateKeyFile, String comment) throws IOException {
        ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
        ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, privateKey);
            OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(keyPair.getPublic(), comment, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode " + keyPair.getPublic().getAlgorithm() + " key pair", e);
        }
        writeWithPermissions(privateKeyFile, privateKey.toByteArray(), PRIVATE_KEY_PERMISSIONS);
        writeWithPermissions(publicKeyFile(privateKeyFile), publicKey.toByteArray(), PUBLIC_KEY_PERMISSIONS);
    }

    /** Returns the {@code .pub} companion of a private key file. */
    static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    private static void writeWithPermissions(Path file, byte[] content, String permissions) throws IOException {
        Files.deleteIfExists(file);
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        }
        Files.write(file, content);
    }
}
