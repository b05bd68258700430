package io.quantsinfra.lake.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/** Converts between numeric permission bits and {@link PosixFilePermission} sets. */
final class PosixModes {
    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    /** The mode the JDK gives a file it creates: 0666 less the process's umask, if known. */
    private static final OptionalInt CREATED_FILE_MODE = readCreatedFileMode();

    private PosixModes() {
    }

    /**
     * The permission bits of a file this process creates with the JDK's defaults, so that a chmod
     * to the same bits can be skipped; empty where the umask cannot be read (not Linux).
     */
    static OptionalInt createdFileMode() {
        return CREATED_FILE_MODE;
    }

    /** Linux reports the umask in /proc/self/status (since 4.7); the JDK cannot read it otherwise without changing it. */
    private static OptionalInt readCreatedFileMode() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return OptionalInt.of(0666 & ~Integer.parseInt(line.substring("Umask:".length()).trim(), 8));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an old kernel: every mode is set
        }
        return OptionalInt.empty();
    }

    /** The permissions of the {@code 0777} bits of {@code mode}. */
    static Set<PosixFilePermission> fromMode(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(ORDER[i]);
            }
        }
        return perms;
    }
}
