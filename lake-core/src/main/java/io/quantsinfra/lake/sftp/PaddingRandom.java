package io.quantsinfra.lake.sftp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Packet padding (and the key exchange's cookie) from an AES-CTR keystream under a key and
 * counter drawn once from the JDK's DRBG: the CTR_DRBG construction, without reseeding, which
 * runs on AES-NI. sshj's default, a {@code NativePRNG}, runs SHA1PRNG and reads /dev/urandom
 * for every packet; the JDK's Hash_DRBG took a SHA-256 per packet, under one lock shared by
 * every worker, a cost that shows when thousands of small SFTP requests make thousands of
 * packets.
 */
final class PaddingRandom implements net.schmizz.sshj.transport.random.Random {
    /** Keyed on another thread: sshj takes its generator when it builds the transport, before connecting. */
    private final CompletableFuture<Cipher> keystream = CompletableFuture.supplyAsync(PaddingRandom::keyed,
            OwnThreads.named("lake-padding-key"));
    private byte[] zeros = new byte[256];

    private static Cipher keyed() {
        try {
            SecureRandom seed = SecureRandom.getInstance("DRBG");
            byte[] key = new byte[16];
            byte[] counter = new byte[16];
            seed.nextBytes(key);
            seed.nextBytes(counter);
            Cipher keystream = Cipher.getInstance("AES/CTR/NoPadding");
            keystream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
            return keystream;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no DRBG or AES/CTR", e);
        }
    }

    @Override
    public void fill(byte[] bytes) {
        fill(bytes, 0, bytes.length);
    }

    @Override
    public synchronized void fill(byte[] bytes, int start, int len) {
        if (zeros.length < len) {
            zeros = new byte[len];
        }
        try {
            keystream.join().update(zeros, 0, len, bytes, start);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("no room for " + len + " random bytes", e);
        }
    }
}
