package io.quantsinfra.lake.sftp;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.kex.DHGroups;
import com.hierynomus.sshj.transport.kex.ExtInfoClientFactory;
import com.hierynomus.sshj.transport.mac.Macs;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.transport.kex.Curve25519SHA256;
import net.schmizz.sshj.transport.kex.DHGexSHA256;
import net.schmizz.sshj.transport.kex.ECDHNistP;

/**
 * sshj's defaults without its start-up self-test of 33 ciphers and without host certificates,
 * offering what OpenSSH's client offers that sshj can do, in OpenSSH's order except that AES-GCM,
 * on the CPU's AES instructions through the JDK, comes before chacha20-poly1305.
 */
final class TunedConfig extends DefaultConfig {
    TunedConfig() {
        setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    }

    /**
     * Called by DefaultConfig's constructor, so that sshj's own generator, slow to make, never is.
     * Ours is keyed on a thread of its own while the connection is set up and made: seeding
     * the DRBG and the JCE's first use would otherwise delay the TCP connect; the first random
     * bytes are needed only for the key exchange, after the server's greeting.
     */
    @Override
    protected void initRandomFactory() {
        PaddingRandom padding = new PaddingRandom();
        setRandomFactory(() -> padding);
    }

    /**
     * sshj's host-key algorithms without the certificate ones: host certificates are not
     * supported ({@link KnownHostsVerifier}), so servers are asked for their plain keys.
     */
    @Override
    protected void initKeyAlgorithms() {
        super.initKeyAlgorithms();
        setKeyAlgorithms(getKeyAlgorithms().stream().filter(a -> !a.getName().contains("-cert-")).toList());
    }

    @Override
    protected void initKeyExchangeFactories() {
        setKeyExchangeFactories(
                new Curve25519SHA256.Factory(),
                new Curve25519SHA256.FactoryLibSsh(),
                new ECDHNistP.Factory256(),
                new ECDHNistP.Factory384(),
                new ECDHNistP.Factory521(),
                new DHGexSHA256.Factory(),
                DHGroups.Group16SHA512(),
                DHGroups.Group14SHA256(),
                new ExtInfoClientFactory());
    }

    @Override
    protected void initCipherFactories() {
        setCipherFactories(GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(), JdkChachaPolyCipher.factory(),
                BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR());
    }

    /** OpenSSH's client list without the UMACs, which sshj lacks. */
    @Override
    protected void initMACFactories() {
        setMACFactories(Macs.HMACSHA2256Etm(), Macs.HMACSHA2512Etm(), Macs.HMACSHA1Etm(), Macs.HMACSHA2256(),
                Macs.HMACSHA2512(), Macs.HMACSHA1());
    }
}
