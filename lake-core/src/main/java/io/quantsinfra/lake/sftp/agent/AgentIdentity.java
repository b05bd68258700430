package io.quantsinfra.lake.sftp.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A key that an ssh-agent holds: its public key blob in SSH wire form and the comment it was
 * added with. The private key stays in the agent.
 *
 * @param blob    the public key as SSH sends it: {@code string type} and the key's own fields
 * @param comment what {@code ssh-add -l} shows, often the file the key came from
 */
public record AgentIdentity(byte[] blob, String comment) {
    /** Copies the blob, so that the record stays immutable. */
    public AgentIdentity {
        blob = blob.clone();
    }

    /** The blob, copied. */
    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /** The key type the blob names first, e.g. {@code ssh-ed25519}, {@code ssh-rsa}, {@code ecdsa-sha2-nistp256}. */
    public String keyType() {
        if (blob.length < 4) {
            return "";
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            return "";
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /** The fingerprint as {@code ssh-add -l} and {@code ssh-keygen -l} show it: {@code SHA256:...}. */
    public String fingerprint() {
        return fingerprint(blob);
    }

    /** The SHA-256 fingerprint OpenSSH shows for a public key blob. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** How messages name it: its comment and fingerprint, e.g. {@code "me@laptop (SHA256:...)"}. */
    public String describe() {
        return (comment.isBlank() ? keyType() : comment) + " (" + fingerprint() + ")";
    }

    /** Whether it is the key {@code otherBlob} encodes. */
    public boolean isKey(byte[] otherBlob) {
        return Arrays.equals(blob, otherBlob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentIdentity other && Arrays.equals(blob, other.blob) && comment.equals(other.comment);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(blob) + comment.hashCode();
    }

    @Override
    public String toString() {
        return "AgentIdentity[" + describe() + "]";
    }
}
