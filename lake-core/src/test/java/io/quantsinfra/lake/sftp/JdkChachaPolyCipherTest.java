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
import org.junit.jupiter.params.ParameterizedTest;
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
        decrypt.setSequenceNumber(seq);
        decrypt.updateAAD(ours, 0, 4);
        decrypt.update(ours, 4, payload);
        assertArrayEquals(plain, Arrays.copyOf(ours, 4 + payload));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 500, 4 + 64 + 5})
    void aChangedByte_failsTheTag(int at) {
        Random random = new Random(at);
        byte[] key = bytes(random, 64);
        int payload = 64;
        byte[] sealed = seal(JdkChachaPolyCipher.factory().create(), key, 9, bytes(random, 4 + payload + TAG), payload);
        sealed[Math.min(at, sealed.length - 1)] ^= 1;

        Cipher decrypt = JdkChachaPolyCipher.factory().create();
        decrypt.init(Cipher.Mode.Decrypt, key, new byte[0]);
        decrypt.setSequenceNumber(9);
        decrypt.updateAAD(sealed, 0, 4);
        SSHRuntimeException e = assertThrows(SSHRuntimeException.class, () -> decrypt.update(sealed, 4, payload));
        assertEquals("MAC Error", e.getMessage());
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
