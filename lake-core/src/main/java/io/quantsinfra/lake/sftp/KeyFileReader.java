package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.config.KeyFilePermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Reads a private key file for a login, as ssh would use it: a key open to group or others is
 * ignored, an encrypted one is decrypted with the passphrase from the variable that
 * {@code ssh_key_passphrase_env} names, and each way it can fail (missing, too open, no
 * passphrase, wrong passphrase, not a key) gets its own {@link IdentityProblem}. Formats are
 * sshj's: OpenSSH (ed25519, ECDSA, RSA; encrypted with bcrypt-pbkdf), PEM and PKCS#8 (also
 * encrypted), PuTTY.
 */
final class KeyFileReader {
    /** What reading gave: a key ready to sign with, or why not. */
    sealed interface Result permits Loaded, Skipped {
    }

    /**
     * A key ready to sign with.
     *
     * @param keys      the key pair
     * @param publicKey its public key blob, to tell when the agent offers the same key
     */
    record Loaded(KeyProvider keys, byte[] publicKey) implements Result {
    }

    /**
     * A key that is not offered.
     *
     * @param problem why, or empty for a default key file that does not exist
     */
    record Skipped(Optional<IdentityProblem> problem) implements Result {
    }

    private final SSHClient ssh;
    private final Optional<String> passphraseEnv;
    private final Map<String, String> env;

    /**
     * @param ssh           the client whose key formats are used
     * @param passphraseEnv the variable holding the passphrase of encrypted keys, if one is configured
     * @param env           the environment to read it from
     */
    KeyFileReader(SSHClient ssh, Optional<String> passphraseEnv, Map<String, String> env) {
        this.ssh = ssh;
        this.passphraseEnv = passphraseEnv;
        this.env = env;
    }

    /** Reads {@code file}; never throws. */
    Result read(IdentitySources.KeyFile file) {
        Path key = file.path();
        boolean named = file.named();
        if (!Files.isRegularFile(key)) {
            return named ? skipped("the key file " + key + " does not exist",
                    "set source.ssh_key (or ssh_config's IdentityFile) to your private key, e.g. ~/.ssh/id_ed25519", true, null)
                    : new Skipped(Optional.empty());
        }
        Optional<String> tooOpen = KeyFilePermissions.tooOpen(key);
        if (tooOpen.isPresent()) {
            return skipped(KeyFilePermissions.warning(key, tooOpen.get()), KeyFilePermissions.fix(key), true, null);
        }
        String text;
        try {
            text = Files.readString(key, StandardCharsets.ISO_8859_1); // key files are ASCII; never fails to decode
        } catch (IOException e) {
            return skipped("cannot read the key " + key + ": " + e, "check that this user may read " + key, named, e);
        }
        PrivateKeyText shape = PrivateKeyText.of(text);
        char[] passphrase = null;
        if (shape.encrypted()) {
            Optional<Skipped> missing = missingPassphrase(key, named);
            if (missing.isPresent()) {
                return missing.get();
            }
            passphrase = env.get(passphraseEnv.orElseThrow()).toCharArray();
        }
        Exception failure;
        try {
            return load(text, passphrase);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        if (SshConnector.needsBouncyCastle(failure) && SshConnector.addBouncyCastleAsFallback()) {
            try {
                return load(text, passphrase);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (shape.encrypted()) {
            String name = passphraseEnv.orElseThrow();
            return skipped("the passphrase in $" + name + " does not decrypt the key " + key,
                    "put the passphrase of " + key + " in $" + name + "; check it with: ssh-keygen -y -f " + key,
                    named, failure);
        }
        return skipped("cannot read the key " + key + ": " + failure.getMessage(),
                "use a private key in OpenSSH, PEM or PKCS#8 format; ssh-keygen -p -f " + key
                        + " rewrites it in OpenSSH's", named, failure);
    }

    /** The public key blob a key file declares without decrypting it: in the file itself (OpenSSH format) or in its {@code .pub}. */
    static Optional<byte[]> declaredPublicKey(Path key) {
        try {
            Optional<byte[]> inFile = PrivateKeyText.of(Files.readString(key, StandardCharsets.ISO_8859_1)).publicKey();
            if (inFile.isPresent()) {
                return inFile;
            }
        } catch (IOException e) {
            // try the .pub file
        }
        try {
            return PrivateKeyText.publicKeyLine(Files.readString(Path.of(key + ".pub"), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why there is no passphrase for the encrypted {@code key}, if there is none. */
    private Optional<Skipped> missingPassphrase(Path key, boolean named) {
        String agentFix = "; or add the key to ssh-agent (ssh-add " + key + ") and run with SSH_AUTH_SOCK set";
        if (passphraseEnv.isEmpty()) {
            // not warned about when another identity logs in: a key file whose copy the agent holds is a usual set-up
            return Optional.of(skipped("the key " + key + " is encrypted with a passphrase, and no passphrase is configured",
                    "name the environment variable that holds it in source.ssh_key_passphrase_env (e.g."
                            + " LAKE_KEY_PASSPHRASE) and export it" + agentFix, false, null));
        }
        String name = passphraseEnv.get();
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            return Optional.of(skipped("the key " + key + " needs a passphrase, but $" + name
                    + (value == null ? " is not set" : " is empty"), "export " + name + " with the passphrase in the"
                    + " environment that runs the sync (cron and systemd do not read your shell's profile)" + agentFix,
                    named, null));
        }
        return Optional.empty();
    }

    private Loaded load(String text, char[] passphrase) throws IOException {
        KeyProvider keys = ssh.loadKeys(text, null, passphrase == null ? null : PasswordUtils.createOneOff(passphrase.clone()));
        keys.getPrivate();
        return new Loaded(keys, new Buffer.PlainBuffer().putPublicKey(keys.getPublic()).getCompactData());
    }

    private static Skipped skipped(String message, String hint, boolean warn, Throwable cause) {
        return new Skipped(Optional.of(new IdentityProblem(message, hint, warn, cause)));
    }
}
