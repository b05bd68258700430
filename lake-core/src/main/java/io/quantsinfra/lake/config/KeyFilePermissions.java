package io.quantsinfra.lake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * OpenSSH's rule for private key files: a key owned by the user that group or others may access
 * in any way (mode {@code & 077}) is "UNPROTECTED" and ignored. {@code validate} warns about it and
 * the connection skips such a key, with the warning OpenSSH prints.
 */
public final class KeyFilePermissions {
    private KeyFilePermissions() {
    }

    /**
     * The key's mode as OpenSSH prints it (e.g. {@code "0644"}) when it is too open; empty when it
     * is not, when another user owns it (OpenSSH then does not care either), or when the file
     * system has no POSIX permissions or the file cannot be read.
     */
    public static Optional<String> tooOpen(Path key) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(key, PosixFileAttributes.class);
            int mode = mode(attributes.permissions());
            if ((mode & 0077) == 0 || !ownedByThisUser(key, attributes.owner())) {
                return Optional.empty();
            }
            return Optional.of(String.format("0%03o", mode));
        } catch (UnsupportedOperationException | IOException | SecurityException e) {
            return Optional.empty(); // not a POSIX file system, or unreadable metadata: nothing to say
        }
    }

    /** OpenSSH's warning for a key {@link #tooOpen} returned {@code mode} for, in one line. */
    public static String warning(Path key, String mode) {
        return "UNPROTECTED PRIVATE KEY FILE! Permissions " + mode + " for '" + key + "' are too open."
                + " It is required that your private key files are NOT accessible by others."
                + " This private key will be ignored.";
    }

    /** The fix for a key that is too open. */
    public static String fix(Path key) {
        return "run: chmod 600 " + key;
    }

    private static boolean ownedByThisUser(Path key, UserPrincipal owner) throws IOException {
        String user = System.getProperty("user.name");
        if (user == null) {
            return true;
        }
        try {
            return owner.equals(key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        } catch (IOException | UnsupportedOperationException e) {
            return true; // the owner cannot be told apart: assume the user's own key, as is usual
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is 0400 ... OTHERS_EXECUTE is 0001
        }
        return mode;
    }
}
