package io.quantsinfra.lake.sftp;

import com.hierynomus.sshj.transport.verification.KnownHostMatchers;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sftp.agent.AgentIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.HostEntry;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.Marker;

/**
 * Checks a server's host key against a profile's known_hosts file as OpenSSH reads it. Of the
 * lines whose host patterns (plain, hashed, {@code [host]:port}, wildcards) match the host, and
 * none of whose negated patterns ({@code !host}) does:
 * <ol>
 * <li>an {@code @revoked} line with the presented key refuses it, whatever the other lines say;
 * <li>a plain line with the presented key accepts it;
 * <li>a plain line of the key's type with another key means the key changed: always refused;
 * <li>plain lines of other types only: refused under {@link HostKeyPolicy#STRICT}, recorded under
 *     {@link HostKeyPolicy#ACCEPT_NEW};
 * <li>{@code @cert-authority} lines only: refused, as host certificates are not supported;
 * <li>no line: an unknown host, refused or recorded as the policy says.
 * </ol>
 * A {@code @cert-authority} line never vouches for a plain key, even one equal to its CA key.
 *
 * <p>It also names the host-key algorithms the key exchange should prefer: those of the types of
 * the host's plain lines, so that the server presents a key that can be checked.
 *
 * <p>sshj parses the file and matches the host patterns; the policy is ours because sshj's
 * {@link OpenSSHKnownHosts#verify} accepts a revoked key that also has a plain line, a plain key
 * equal to a CA key, and a key on a line whose negated pattern names the host. sshj only learns
 * that the key was refused; the connector takes the reason from {@link #refusal()}. One instance
 * serves one connection attempt; its methods are synchronized as sshj calls them from its reader
 * thread too, on a key re-exchange, and accept-new adds to the entries.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    private final OpenSSHKnownHosts file;
    private final SshSource source;
    private final String where;
    private volatile Refusal refusal;

    /** Why a host key was refused: the message and the hint of the connection's failure. */
    record Refusal(String message, String hint) {
    }

    private KnownHostsVerifier(OpenSSHKnownHosts file, SshSource source, String where) {
        this.file = file;
        this.source = source;
        this.where = where;
    }

    /**
     * Reads the source's known_hosts file; a missing one holds no keys, so every host is unknown.
     *
     * @param where {@code user@host:port}, as messages name the host
     * @throws LakeException of kind {@code CONNECTION} if the file cannot be read
     */
    static KnownHostsVerifier load(SshSource source, String where) {
        Path path = source.knownHosts();
        try {
            return new KnownHostsVerifier(new OpenSSHKnownHosts(path.toFile()), source, where);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "cannot read the known_hosts file " + path + ": "
                    + e.getMessage(), trustHint(source), e);
        }
    }

    /** Why the last host key was refused, if it was. */
    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public synchronized boolean verify(String hostname, int port, PublicKey key) {
        try {
            HostLines lines = linesFor(hostname, port);
            KeyType type = KeyType.fromKey(key);
            if (lines.revokes(key)) {
                return refuse(revoked(key));
            }
            if (lines.trust(key)) {
                return true;
            }
            if (lines.types().contains(type)) {
                return refuse(changed(hostname, port, key));
            }
            boolean acceptNew = source.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW;
            if (!lines.types().isEmpty() && !acceptNew) {
                return refuse(otherType(key, lines.types()));
            }
            if (lines.types().isEmpty() && lines.certAuthority()) {
                return refuse(certificatesOnly());
            }
            if (!acceptNew) {
                return refuse(new Refusal("unknown host " + where + ": its key is not in " + source.knownHosts(),
                        trustHint(source)));
            }
            return record(hostname, port, key);
        } catch (IOException e) {
            return refuse(new Refusal("cannot check the host key of " + where + " against " + source.knownHosts() + ": "
                    + e.getMessage(), "fix or remove the lines for " + source.host() + " in " + source.knownHosts()));
        }
    }

    /** The host-key algorithms of the key types known for the host, for the key exchange to prefer. */
    @Override
    public synchronized List<String> findExistingAlgorithms(String hostname, int port) {
        try {
            return linesFor(hostname, port).types().stream().flatMap(t -> algorithmsOf(t).stream()).toList();
        } catch (IOException e) {
            return List.of(); // verify() fails the same way and reports it
        }
    }

    /**
     * An RSA key signs under three names, and OpenSSH 8.8 and later servers refuse the SHA-1 one,
     * so all three are named, as OpenSSH's client does: sshj names only {@code ssh-rsa}, and the
     * server then presents a key of another type, which the file does not know.
     */
    private static List<String> algorithmsOf(KeyType type) {
        return type == KeyType.RSA ? List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa") : List.of(type.toString());
    }

    private boolean refuse(Refusal why) {
        refusal = why;
        return false;
    }

    private boolean record(String hostname, int port, PublicKey key) {
        Path path = source.knownHosts();
        try {
            KnownHostEntry entry = new HostEntry(null, entryName(hostname, port), KeyType.fromKey(key), key);
            Files.createDirectories(path.toAbsolutePath().getParent());
            file.write(entry);
            file.entries().add(entry); // a later key re-exchange on this connection checks against it
            return true;
        } catch (IOException e) {
            return refuse(new Refusal("cannot record the host key of " + where + " in " + path + ": " + e.getMessage(),
                    "make the known_hosts file writable"));
        }
    }

    private Refusal revoked(PublicKey key) {
        return new Refusal("the host key of " + where + " (" + fingerprint(key) + ") is marked @revoked in "
                + source.knownHosts() + "; refusing to connect",
                "a revoked key is never trusted, whatever other lines say: ask the host's administrator why it was revoked;"
                        + " once the host has a new key, check its fingerprint and add it with: " + keyscan());
    }

    private Refusal changed(String hostname, int port, PublicKey key) {
        return new Refusal("HOST KEY CHANGED for " + where + " (it now presents " + fingerprint(key)
                + "); refusing to connect: this may be a man-in-the-middle attack, or the host was reinstalled",
                "if you know why the key changed, remove the old entry with: ssh-keygen -R '" + entryName(hostname, port)
                        + "' -f " + source.knownHosts() + "; then trust the new key");
    }

    private Refusal otherType(PublicKey key, Set<KeyType> known) {
        return new Refusal(where + " presents a " + KeyType.fromKey(key) + " host key (" + fingerprint(key) + "), but "
                + source.knownHosts() + " knows it only by "
                + known.stream().map(KeyType::toString).collect(Collectors.joining(", ")) + " keys; refusing to connect",
                "the server no longer offers a key of the known types (were its host keys regenerated?): ask its"
                        + " administrator for the new key's fingerprint, check it and add the key with: " + keyscan());
    }

    private Refusal certificatesOnly() {
        return new Refusal("cannot verify the host key of " + where + ": " + source.knownHosts()
                + " vouches for it only with @cert-authority lines, and host certificates are not supported;"
                + " refusing to connect",
                "add the host's own key, after checking its fingerprint, with: " + keyscan());
    }

    private String keyscan() {
        return "ssh-keyscan -p " + source.port() + " " + source.host() + " >> " + source.knownHosts();
    }

    private static String trustHint(SshSource source) {
        return "after checking the key's fingerprint, trust it with: ssh-keyscan -p " + source.port() + " " + source.host()
                + " >> " + source.knownHosts() + "   (or set source.host_key_policy: accept-new)";
    }

    /** The name OpenSSH matches and writes: lower case, and {@code [host]:port} off port 22. */
    private static String entryName(String hostname, int port) {
        String host = hostname.toLowerCase(Locale.ROOT);
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The fingerprint OpenSSH shows ({@code ssh-keygen -l}), for users to compare; sshj only makes the MD5 one. */
    private static String fingerprint(PublicKey key) {
        return AgentIdentity.fingerprint(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    private HostLines linesFor(String hostname, int port) throws IOException {
        String name = entryName(hostname, port);
        List<KnownHostEntry> plain = new ArrayList<>();
        Set<String> revoked = new HashSet<>();
        boolean certAuthority = false;
        for (KnownHostEntry e : file.entries()) {
            if (!e.appliesTo(name) || negates(e, name)) {
                continue;
            }
            Optional<Marker> marker = markerOf(e);
            if (marker.isEmpty()) {
                plain.add(e);
            } else if (marker.get() == Marker.REVOKED) {
                revoked.add(e.getFingerprint());
            } else {
                certAuthority = true;
            }
        }
        return new HostLines(plain, revoked, certAuthority);
    }

    /**
     * Whether a negated pattern of the line ({@code !host}) matches: OpenSSH then takes the line
     * away from the host whatever its other patterns say, where sshj takes a line for a host when
     * any one of its patterns matches, the negated ones included.
     */
    private static boolean negates(KnownHostEntry e, String name) throws IOException {
        String[] fields = e.getLine().trim().split("\\s+");
        String hosts = fields[markerOf(e).isPresent() ? 1 : 0];
        for (String pattern : hosts.split(",")) {
            if (pattern.startsWith("!") && KnownHostMatchers.createMatcher(pattern.substring(1)).match(name)) {
                return true;
            }
        }
        return false;
    }

    /** sshj keeps a line's marker to itself, but writes it first when it prints the line. */
    private static Optional<Marker> markerOf(KnownHostEntry e) {
        String line = e.getLine();
        return Arrays.stream(Marker.values()).filter(m -> line.startsWith(m.getMarkerString() + " ")).findFirst();
    }

    /**
     * The lines for one host, by kind. Revoked keys are compared by sshj's MD5 fingerprint: a
     * collision could only refuse a key, never let one in.
     */
    private record HostLines(List<KnownHostEntry> plain, Set<String> revokedFingerprints, boolean certAuthority) {
        boolean revokes(PublicKey key) {
            return revokedFingerprints.contains(SecurityUtils.getFingerprint(key));
        }

        boolean trust(PublicKey key) throws IOException {
            for (KnownHostEntry e : plain) {
                if (e.getType() == KeyType.fromKey(key) && e.verify(key)) {
                    return true;
                }
            }
            return false;
        }

        /** The key types of the plain lines, in file order. */
        Set<KeyType> types() {
            Set<KeyType> types = new LinkedHashSet<>();
            plain.forEach(e -> types.add(e.getType()));
            return types;
        }
    }
}
