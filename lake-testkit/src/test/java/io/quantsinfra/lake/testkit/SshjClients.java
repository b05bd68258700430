package io.quantsinfra.lake.testkit;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.mac.Macs;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.cipher.Cipher;
import net.schmizz.sshj.transport.kex.Curve25519SHA256;
import net.schmizz.sshj.transport.kex.ECDHNistP;
import net.schmizz.sshj.transport.kex.KeyExchange;
import net.schmizz.sshj.transport.mac.MAC;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/** sshj clients for the tests: JDK crypto, strict known_hosts checking, public-key authentication. */
final class SshjClients {

    static {
        // Keep sshj from making BouncyCastle the provider for everything; the JDK then does AES-GCM,
        // Ed25519, X25519 and RSA. BC is not added to java.security.Security: nothing here needs it.
        SecurityUtils.setRegisterBouncyCastle(false);
    }

    private SshjClients() {
    }

    /** A config with a short, JDK-backed algorithm list, so sshj does not self-test 33 ciphers on creation. */
    static Config config() {
        return new DefaultConfig() {
            @Override
            protected void initKeyExchangeFactories() {
                setKeyExchangeFactories(List.<Factory.Named<KeyExchange>>of(new Curve25519SHA256.Factory(),
                        new Curve25519SHA256.FactoryLibSsh(), new ECDHNistP.Factory256()));
            }

            @Override
            protected void initCipherFactories() {
                setCipherFactories(List.<Factory.Named<Cipher>>of(GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(),
                        BlockCiphers.AES128CTR()));
            }

            @Override
            protected void initMACFactories() {
                setMACFactories(List.<Factory.Named<MAC>>of(Macs.HMACSHA2256Etm(), Macs.HMACSHA2256()));
            }
        };
    }

    /** Connects to {@code server}, checks its host key against its known_hosts file and authenticates. */
    static SSHClient connect(SftpTestServer server) throws IOException {
        return connect(server, server.knownHostsFile(), server.user(), server.clientKeyFile());
    }

    /** Connects to {@code server} with the given known_hosts file, user name and private key file. */
    static SSHClient connect(SftpTestServer server, Path knownHosts, String user, Path privateKey)
            throws IOException {
        SSHClient ssh = new SSHClient(config());
        try {
            ssh.addHostKeyVerifier(new OpenSSHKnownHosts(knownHosts.toFile()));
            ssh.connect(server.host(), server.port());
            ssh.authPublickey(user, ssh.loadKeys(privateKey.toString()));
            return ssh;
        } catch (IOException | RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    /**
     * Reads a remote file fully with 64 KiB requests, 16 in flight.
     *
     * <p>Not a try-with-resources: when the transport breaks, sshj 0.40 rethrows the same stored exception from
     * {@code read} and from {@code close}, and try-with-resources then fails with "Self-suppression not
     * permitted" (an IllegalArgumentException) instead of the IOException. {@code RemoteFile.close()} on a broken
     * transport can also throw an ArrayIndexOutOfBoundsException from sshj's packet encoder.
     */
    static byte[] readFully(SFTPClient sftp, String path) throws IOException {
        RemoteFile file = sftp.open(path);
        InputStream in = file.new ReadAheadRemoteFileInputStream(16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            closeAfterFailure(e, in, file);
            throw e;
        }
        in.close();
        file.close();
        return out.toByteArray();
    }

    private static void closeAfterFailure(IOException failure, Closeable... resources) {
        for (Closeable resource : resources) {
            try {
                resource.close();
            } catch (IOException | RuntimeException e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
