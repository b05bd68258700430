package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Random;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Our chacha20-poly1305@openssh.com against sshj's own, which runs on BouncyCastle's JCA provider. */
class JdkChachaPolyCipherTest {
    private static final int TAG = 16;

    @BeforeAll
    static void bouncyCastleForSshjsCipher() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Provider bc = new BouncyCastleProvider();
            Security.addProvider(bc); // after the JDK's, as SshConnector adds it
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3, 0xffffffffL})
    void encryptsAsSshjDoes_andDecryptsItsOwnPackets(long seq) {
        Random random = new Random(seq);
        byte[] key = bytes(random, 64);
        int payload = 1020;
        byte[] packet = bytes(random, 4 + payload + TAG);
        byte[] plain = Arrays.copyOf(packet, 4 + payload);

        byte[] ours = seal(JdkChachaPolyCipher.factory().create(), key, seq, packet.clone(), payload);
        byte[] sshjs = seal(ChachaPolyCiphers.CHACHA_POLY_OPENSSH().create(), key, seq, packet.clone(), payload);

        assertArrayEquals(sshjs, ours);
        assertFalse(Arrays.equals(plain, Arrays.copyOf(ours, 4 + payload)));
        Cipher decrypt = JdkChachaPolyCipher.factory().create();
        decrypt.init(Cipher.Mode.Decrypt, key, new byte[0]);
        open(decrypt, seq, ours, payload);
        assertArrayEquals(plain, Arrays.copyOf(ours, 4 + payload));
    }

    /** A changed byte anywhere fails the tag, and nothing of the packet is decrypted in sshj's buffer. */
    @ParameterizedTest
    @CsvSource({"64, 0", "64, 4", "64, 73", "64, 83", "100000, 4", "100000, 99999", "100000, 100007"})
    void aChangedByte_failsTheTag_andLeavesThePacketSealed(int payload, int at) {
        Random random = new Random(at);
        byte[] key = bytes(random, 64);
        byte[] sealed = seal(JdkChachaPolyCipher.factory().create(), key, 9, bytes(random, 4 + payload + TAG), payload);
        sealed[at] ^= 1;
        byte[] received = sealed.clone();

        Cipher decrypt = JdkChachaPolyCipher.factory().create();
        decrypt.init(Cipher.Mode.Decrypt, key, new byte[0]);
        SSHRuntimeException e = assertThrows(SSHRuntimeException.class, () -> open(decrypt, 9, sealed, payload));

        assertEquals("MAC Error", e.getMessage());
        System.arraycopy(sealed, 0, received, 0, 4); // the length is decrypted in place first, as sshj reads it
        assertArrayEquals(received, sealed);
    }

    /** One cipher, packets of every size in turn, as a transfer's reader thread sees them. */
    @Test
    void packetsLargeAndSmallInARow_allOpen() {
        Random random = new Random(3);
        byte[] key = bytes(random, 64);
        Cipher sshjs = ChachaPolyCiphers.CHACHA_POLY_OPENSSH().create();
        sshjs.init(Cipher.Mode.Encrypt, key, new byte[0]);
        Cipher ours = JdkChachaPolyCipher.factory().create();
        ours.init(Cipher.Mode.Decrypt, key, new byte[0]);
        for (long seq = 0; seq < 60; seq++) {
            int payload = seq % 3 == 0 ? 1 + random.nextInt(2_000) : 1 + random.nextInt(261_000);
            byte[] packet = bytes(random, 4 + payload + TAG);
            byte[] plain = Arrays.copyOf(packet, 4 + payload);
            sshjs.setSequenceNumber(seq);
            sshjs.updateWithAAD(packet, 0, 4, payload);

            open(ours, seq, packet, payload);

            assertArrayEquals(plain, Arrays.copyOf(packet, 4 + payload), "packet " + seq + " of " + payload + " bytes");
        }
    }

    /** Decrypts as sshj's decoder does: the length first, then payload and tag together. */
    private static void open(Cipher cipher, long seq, byte[] packet, int payload) {
        cipher.setSequenceNumber(seq);
        cipher.updateAAD(packet, 0, 4);
        cipher.update(packet, 4, payload);
    }

    /** Encrypts as sshj's encoder does: the sequence number, then length and payload together. */
    private static byte[] seal(Cipher cipher, byte[] key, long seq, byte[] packet, int payload) {
        cipher.init(Cipher.Mode.Encrypt, key, new byte[0]);
        cipher.setSequenceNumber(seq);
        cipher.updateWithAAD(packet, 0, 4, payload);
        return packet;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
