package io.quantsinfra.lake.sftp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * OpenSSH's {@code chacha20-poly1305@openssh.com} (its PROTOCOL.chacha20poly1305) on the JDK's
 * ChaCha20 and BouncyCastle's lightweight Poly1305, for sshj's transport.
 *
 * <p>sshj has this suite too, but asks the JCA for BouncyCastle's ChaCha and Poly1305 (so BC would
 * have to be a registered provider) and copies every packet once more to authenticate it. The
 * JDK's ChaCha20 is faster than BouncyCastle's on JDK 17 and runs on the CPU's vector units from
 * JDK 20. The JDK has no Poly1305 of its own outside its RFC 8439 AEAD, whose tag covers padding
 * and lengths that OpenSSH's construction does not, hence BouncyCastle's.
 *
 * <p>The construction: the 64 bytes of key material are a payload key (the first half) and a
 * length key; the nonce is the packet's sequence number. The length is encrypted on its own with
 * the length key; the payload with the payload key from block 1, whose block 0 keys the Poly1305
 * tag over the encrypted length and payload. ChaCha20 is a stream cipher: decrypting is the same
 * operation as encrypting, so the JDK's ciphers are always set up to decrypt.
 */
final class JdkChachaPolyCipher implements net.schmizz.sshj.transport.cipher.Cipher {
    /** The name both sides negotiate. */
    static final String NAME = "chacha20-poly1305@openssh.com";
    private static final int KEY_SIZE = 32;
    private static final int LENGTH_SIZE = 4;
    private static final int TAG_SIZE = 16;

    private final Cipher payload;
    private final Cipher length;
    private final Poly1305 poly = new Poly1305();
    private final byte[] nonce = new byte[12];
    private final byte[] block0 = new byte[2 * KEY_SIZE];
    private final byte[] encryptedLength = new byte[LENGTH_SIZE];
    private final byte[] tag = new byte[TAG_SIZE];
    private SecretKeySpec payloadKey;
    private SecretKeySpec lengthKey;
    private Mode mode;

    private JdkChachaPolyCipher() {
        try {
            payload = Cipher.getInstance("ChaCha20");
            length = Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("the JDK has no ChaCha20", e);
        }
    }

    /** The factory sshj's config lists. */
    static Factory.Named<net.schmizz.sshj.transport.cipher.Cipher> factory() {
        return new Factory.Named<>() {
            @Override
            public net.schmizz.sshj.transport.cipher.Cipher create() {
                return new JdkChachaPolyCipher();
            }

            @Override
            public String getName() {
                return NAME;
            }

            @Override
            public String toString() {
                return NAME;
            }
        };
    }

    /** The key material it takes: two ChaCha20 keys. */
    @Override
    public int getBlockSize() {
        return 2 * KEY_SIZE;
    }

    @Override
    public int getIVSize() {
        return 0;
    }

    @Override
    public int getAuthenticationTagSize() {
        return TAG_SIZE;
    }

    @Override
    public void init(Mode mode, byte[] key, byte[] iv) {
        this.mode = mode;
        payloadKey = new SecretKeySpec(key, 0, KEY_SIZE, "ChaCha20");
        lengthKey = new SecretKeySpec(key, KEY_SIZE, KEY_SIZE, "ChaCha20");
    }

    /**
     * Keys the packet with sequence number {@code seq}, as sshj does before each packet: block 0
     * of the payload key gives the Poly1305 key (its second half is skipped), and the payload
     * starts at block 1.
     */
    @Override
    public void setSequenceNumber(long seq) {
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (seq >>> (8 * i));
        }
        try {
            payload.init(Cipher.DECRYPT_MODE, payloadKey, new ChaCha20ParameterSpec(nonce, 0));
            Arrays.fill(block0, (byte) 0);
            payload.update(block0, 0, block0.length, block0, 0);
            length.init(Cipher.DECRYPT_MODE, lengthKey, new ChaCha20ParameterSpec(nonce, 0));
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("cannot key ChaCha20 for packet " + seq, e);
        }
        poly.init(new KeyParameter(block0, 0, KEY_SIZE));
    }

    /** Encrypts or decrypts the packet length at {@code data[offset..offset+4)} in place. */
    @Override
    public void updateAAD(byte[] data, int offset, int len) {
        if (len != LENGTH_SIZE) {
            throw new IllegalArgumentException("the packet length takes " + LENGTH_SIZE + " bytes, not " + len);
        }
        if (mode == Mode.Decrypt) {
            System.arraycopy(data, offset, encryptedLength, 0, LENGTH_SIZE);
        }
        crypt(length, data, offset, LENGTH_SIZE);
        if (mode == Mode.Encrypt) {
            System.arraycopy(data, offset, encryptedLength, 0, LENGTH_SIZE);
        }
    }

    @Override
    public void updateAAD(byte[] data) {
        updateAAD(data, 0, data.length);
    }

    /**
     * Encrypts the payload at {@code input[offset..offset+len)} and writes the tag behind it, or
     * checks the tag behind it and decrypts it, in place; its length went through
     * {@link #updateAAD} first.
     */
    @Override
    public void update(byte[] input, int offset, int len) {
        if (mode == Mode.Decrypt) {
            authenticate(input, offset, len);
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(input, offset + len, offset + len + TAG_SIZE))) {
                throw new SSHRuntimeException("MAC Error");
            }
            crypt(payload, input, offset, len);
        } else {
            crypt(payload, input, offset, len);
            authenticate(input, offset, len);
            System.arraycopy(tag, 0, input, offset + len, TAG_SIZE);
        }
    }

    @Override
    public void updateWithAAD(byte[] input, int offset, int aadLen, int inputLen) {
        updateAAD(input, offset, aadLen);
        update(input, offset + aadLen, inputLen);
    }

    private void authenticate(byte[] ciphertext, int offset, int len) {
        poly.update(encryptedLength, 0, LENGTH_SIZE);
        poly.update(ciphertext, offset, len);
        poly.doFinal(tag, 0);
    }

    private static void crypt(Cipher cipher, byte[] data, int offset, int len) {
        try {
            cipher.update(data, offset, len, data, offset);
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("ChaCha20 failed", e);
        }
    }
}
