package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes key pairs with OpenSSH's {@code ssh-keygen}, in the formats users have: OpenSSH's own, PEM
 * ({@code -m PEM}, e.g. AWS Lightsail's {@code .pem}) and PKCS#8 ({@code -m PKCS8}), with or without
 * a passphrase. The private key is written to the file named, mode 0600, and the public key beside it
 * with {@code .pub} appended.
 */
public final class SshKeygen {
    private SshKeygen() {
    }

    /**
     * Generates a key of {@code type} ({@code ed25519}, {@code ecdsa}, {@code rsa}; RSA keys have 2048 bits).
     *
     * @param format     {@code null} for OpenSSH's format, else {@code PEM} or {@code PKCS8}
     * @param passphrase {@code ""} for none; PEM and PKCS#8 need five characters or more
     * @return {@code file}
     * @throws IOException when ssh-keygen is missing or fails, with its output
     */
    public static Path generate(Path file, String type, String format, String passphrase) throws IOException {
        String[] typeAndBits = type.split("-", 2); // "ecdsa-384": ssh-keygen's type and -b
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", typeAndBits[0], "-N", passphrase, "-C",
                "test-" + type, "-f", file.toString()));
        if (typeAndBits.length == 2) {
            command.addAll(List.of("-b", typeAndBits[1]));
        } else if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        if (format != null) {
            command.addAll(List.of("-m", format));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChildProcesses.run(command, Map.of(), "ssh-keygen -t " + type);
        return file;
    }

    /** Generates an unencrypted key of {@code type} in OpenSSH's format. */
    public static Path generate(Path file, String type) throws IOException {
        return generate(file, type, null, "");
    }

    /** Encrypts an unencrypted key file in place with {@code passphrase}, as {@code ssh-keygen -p} does. */
    public static void encrypt(Path key, String passphrase) throws IOException {
        ChildProcesses.run(List.of("ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-f", key.toString()), Map.of(),
                "ssh-keygen -p");
    }

    /** The {@code .pub} file beside {@code privateKey}. */
    public static Path publicKeyFile(Path privateKey) {
        return Path.of(privateKey + ".pub");
    }

    /** The SHA-256 fingerprint of a key, as {@code ssh-keygen -l} and sshd's log show it: {@code SHA256:...}. */
    public static String fingerprint(Path key) throws IOException {
        String out = ChildProcesses.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKeyFile(key).toString()),
                Map.of(), "ssh-keygen -l");
        return out.trim().split("\\s+")[1];
    }
}
