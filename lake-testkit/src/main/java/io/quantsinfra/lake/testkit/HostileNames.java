package io.quantsinfra.lake.testkit;

import java.util.List;

/**
 * Directory entry names a hostile or broken SFTP server may send, for {@link SftpTestServer#injectFiles} and
 * {@link SftpTestServer#injectDirectories}. None of them is a safe single path component.
 */
public final class HostileNames {

    /** A name of 300 ASCII bytes, longer than the 255-byte limit of common local file systems. */
    public static final String LONG_NAME = "n".repeat(300);

    private HostileNames() {
    }

    /**
     * Returns the standard set of hostile names: the dot entries, names with {@code /} or {@code \}, an absolute
     * path, a traversal, names with NUL, a line break and an ANSI escape, an empty name and {@link #LONG_NAME}.
     *
     * <p>sshj drops {@code "."} and {@code ".."} from listings itself, so an sshj-based client never sees those
     * two.
     *
     * @return an immutable list of distinct names
     */
    public static List<String> all() {
        return List.of(".", "..", "", "a/b", "../escape", "/etc/passwd", "back\\slash", "x\u0000y", "bad\nname",
                "\u001b[31mred", LONG_NAME);
    }
}
