package io.quantsinfra.lake.sftp;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explains a key exchange that failed because client and server share no algorithm of one kind:
 * sshj says only "Unable to reach a settlement of Client2ServerCipherAlgorithms: [ours] and
 * [theirs]". The explanation names the kind, both lists, and the server setting that would let
 * them agree.
 */
final class AlgorithmMismatch {
    /** sshj's wording (its {@code Proposal.firstMatch}), the one place the lists are given. */
    private static final Pattern SETTLEMENT = Pattern.compile(
            "Unable to reach a settlement of (\\w+): \\[(.*)] and \\[(.*)]");
    /** Names in the key-exchange lists that only signal extensions, never chosen. */
    private static final List<String> MARKERS = List.of("ext-info-c", "ext-info-s", "kex-strict-c-v00@openssh.com",
            "kex-strict-s-v00@openssh.com");

    /** What failed, for the connection's error: its message and the hint with the fix. */
    record Explanation(String message, String hint) {
    }

    private AlgorithmMismatch() {
    }

    /**
     * The explanation of {@code failure}, if it or one of its causes is sshj's negotiation failure.
     *
     * @param where {@code user@host:port}, as messages name the host
     */
    static Optional<Explanation> explain(Throwable failure, String where) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : SETTLEMENT.matcher(t.getMessage());
            if (m != null && m.find()) {
                return Optional.of(explain(m.group(1), names(m.group(2)), names(m.group(3)), where));
            }
        }
        return Optional.empty();
    }

    private static Explanation explain(String what, List<String> ours, List<String> theirs, String where) {
        String lists = ": the server offers " + String.join(",", theirs) + "; this client offers " + String.join(",", ours);
        if (what.startsWith("KeyExchange")) {
            if (!theirs.isEmpty() && theirs.stream().allMatch(AlgorithmMismatch::postQuantum)) {
                return new Explanation("cannot agree on a key exchange with " + where + ": it allows only post-quantum key"
                        + " exchange, which this client cannot do yet" + lists,
                        "sshj, the SSH library this client is built on, has no post-quantum key exchange in any release yet"
                                + " (docs/tuning.md); let the server also allow a classic one, after its own, in sshd_config:"
                                + " KexAlgorithms " + String.join(",", theirs) + ",curve25519-sha256");
            }
            return allowOurs("a key exchange", where + lists, "KexAlgorithms curve25519-sha256", "OpenSSH's own default");
        }
        if (what.startsWith("HostKey")) {
            return new Explanation("cannot agree on a host key type with " + where + lists,
                    "give sshd a host key of a type this client checks (ed25519, ECDSA or RSA): ssh-keygen -t ed25519 -f"
                            + " /etc/ssh/ssh_host_ed25519_key, a HostKey line for it in sshd_config, and allow it in"
                            + " HostKeyAlgorithms if that is set; host certificates are not supported");
        }
        if (what.contains("Cipher")) {
            return allowOurs("a cipher", where + lists,
                    "Ciphers aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-ctr",
                    "CBC and 3DES are not offered, as OpenSSH's own ssh no longer offers them");
        }
        if (what.contains("MAC")) {
            return allowOurs("a MAC", where + lists, "MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com",
                    "UMAC is not offered; this client needs a common MAC even when the cipher is AES-GCM or"
                            + " chacha20-poly1305");
        }
        return new Explanation("cannot agree on compression with " + where + lists,
                "add -z to rsync_args if the server insists on compression (it then offers zlib), or allow none in the"
                        + " server's Compression setting");
    }

    /** A mismatch that one of our algorithms in the server's {@code setting} line fixes. */
    private static Explanation allowOurs(String kind, String whereAndLists, String setting, String note) {
        return new Explanation("cannot agree on " + kind + " with " + whereAndLists,
                "allow one of this client's in the server's sshd_config, e.g. " + setting + " (" + note + ")");
    }

    private static boolean postQuantum(String kex) {
        return kex.startsWith("sntrup") || kex.startsWith("mlkem");
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty() && !MARKERS.contains(n)).toList();
    }
}
