package io.quantsinfra.lake.state;

import io.quantsinfra.lake.LakeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ensures that one run at a time works on a profile, across processes, with an operating-system
 * lock on {@code <checkpoint_dir>/<profile>.lock}. The holder writes its pid and start time into the
 * file so that a run that finds the profile locked can say who holds it.
 *
 * <p>The lock belongs to the process: the operating system releases it when the process exits in
 * any way, including {@code kill -9} or a crash, so a dead run never leaves a stale lock behind.
 *
 * <p>The lock file is never deleted, not even by {@link #close()}: a waiter may have opened the file
 * just before the deletion and then lock the deleted file while a third run creates and locks a new
 * one, and two runs would hold "the" lock at once. An idle lock file is harmless; what matters is
 * whether it is locked.
 *
 * <p>Within one JVM, the locks this class holds are also recorded in memory, and a lock file this
 * JVM holds is never opened a second time. This is needed because on POSIX systems closing any
 * descriptor of a file releases all the locks the process holds on it (see {@link FileLock}): merely
 * probing or reading a held lock file from a second channel in this JVM would silently drop the lock.
 * This shared table, guarded by its own monitor, is the one piece of mutable static state here, and
 * it mirrors the JVM-wide nature of the locks themselves.
 */
public final class ProfileLock implements AutoCloseable {
    /** Lock files held by this JVM (by real directory + file name), to their holder descriptions. */
    private static final Map<Path, String> HELD_BY_THIS_JVM = new HashMap<>();

    private static final String UNKNOWN = "unknown";
    private static final int MAX_INFO_BYTES = 4096;

    private final Path key;
    private final String profile;
    private final FileChannel channel;
    private final FileLock lock;

    private ProfileLock(Path key, String profile, FileChannel channel, FileLock lock) {
        this.key = key;
        this.profile = profile;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code profile}'s runs: {@code <checkpoint_dir>/<profile>.lock}. */
    public static Path fileOf(Path checkpointDir, String profile) {
        return checkpointDir.resolve(profile + ".lock");
    }

    /**
     * Takes the lock of {@code profile} without waiting, creating the lock file and its directory if
     * needed, and records this process's pid and the current time in it.
     *
     * @param lockFile the lock file, normally {@link #fileOf}
     * @param profile  the profile's name, for messages
     * @param clock    gives the start time recorded in the file
     * @throws LakeException of kind {@code LOCKED} if another process, or another run in this JVM,
     *                       holds the lock; of kind {@code LOCAL_IO} if the file cannot be created or
     *                       written
     */
    public static ProfileLock acquire(Path lockFile, String profile, Clock clock) {
        String info = "pid=" + ProcessHandle.current().pid() + "\nstarted="
                + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\n";
        synchronized (HELD_BY_THIS_JVM) {
            Path key = key(lockFile, true);
            String heldHere = HELD_BY_THIS_JVM.get(key);
            if (heldHere != null) {
                throw lockedHere(profile, heldHere);
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Locked by code of this JVM that bypassed this class: the holder is this process.
                    throw lockedHere(profile, describe("pid=" + ProcessHandle.current().pid()));
                }
                if (lock == null) {
                    throw locked(profile, describe(readInfo(channel)));
                }
                ByteBuffer buffer = ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8));
                channel.truncate(0);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, buffer.position());
                }
                channel.force(true);
                HELD_BY_THIS_JVM.put(key, describe(info));
                return new ProfileLock(key, profile, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel, e);
                throw new LakeException(LakeException.Kind.LOCAL_IO, lockFile.toString(),
                        "cannot lock profile " + profile + " with " + lockFile + ": " + e,
                        "check that " + lockFile.getParent() + " is writable by this user", e);
            } catch (LakeException e) {
                closeQuietly(channel, e);
                throw e;
            }
        }
    }

    /**
     * Who holds the lock in {@code lockFile}, e.g. {@code "pid 4242, started 2024-11-28T14:30:45Z"},
     * or empty if nobody does (or the file does not exist). Probing takes the lock for an instant when
     * it is free, so it never blocks a run, but a run that starts in that instant is told the profile
     * is locked.
     *
     * @throws LakeException of kind {@code LOCAL_IO} if the file exists but cannot be opened
     */
    public static Optional<String> holder(Path lockFile) {
        synchronized (HELD_BY_THIS_JVM) {
            Path key = key(lockFile, false);
            String heldHere = HELD_BY_THIS_JVM.get(key);
            if (heldHere != null) {
                return Optional.of(heldHere);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ)) {
                FileLock probe;
                try {
                    probe = channel.tryLock(0, Long.MAX_VALUE, true);
                } catch (OverlappingFileLockException e) {
                    return Optional.of(describe("pid=" + ProcessHandle.current().pid()));
                }
                if (probe == null) {
                    return Optional.of(describe(readInfo(channel)));
                }
                probe.release();
                return Optional.empty();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new LakeException(LakeException.Kind.LOCAL_IO, lockFile.toString(),
                        "cannot check the lock " + lockFile + ": " + e,
                        "check that the file is readable by this user", e);
            }
        }
    }

    /** The profile this lock is for. */
    public String profile() {
        return profile;
    }

    /**
     * Releases the lock. The lock file stays, on purpose: see the class comment.
     *
     * @throws LakeException of kind {@code LOCAL_IO} if the channel cannot be closed; the lock is
     *                       released all the same
     */
    @Override
    public void close() {
        synchronized (HELD_BY_THIS_JVM) {
            if (!channel.isOpen()) {
                return;
            }
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                closeQuietly(channel, e);
                throw new LakeException(LakeException.Kind.LOCAL_IO, key.toString(),
                        "cannot release the lock of profile " + profile + ": " + e, "", e);
            } finally {
                HELD_BY_THIS_JVM.remove(key);
            }
        }
    }

    /**
     * The identity of a lock file within this JVM: its directory's real path (symbolic links
     * resolved) plus its name. Found without opening the file, see the class comment.
     */
    private static Path key(Path lockFile, boolean createDirectory) {
        Path absolute = lockFile.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        try {
            if (createDirectory) {
                Files.createDirectories(dir);
            }
            return dir.toRealPath().resolve(absolute.getFileName());
        } catch (NoSuchFileException e) {
            return absolute;
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, dir.toString(),
                    "cannot create the lock directory " + dir + ": " + e,
                    "check that the parent directory exists and is writable by this user", e);
        }
    }

    /** The lock file's content as the holder wrote it, or "" if it cannot be read. */
    private static String readInfo(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_INFO_BYTES);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // Keep reading until the end of the file or the buffer is full.
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code "pid <pid>, started <time>"} from the lock file's {@code key=value} lines. */
    private static String describe(String info) {
        String pid = UNKNOWN;
        String started = UNKNOWN;
        for (String line : info.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("pid=") && trimmed.length() > 4) {
                pid = trimmed.substring(4);
            } else if (trimmed.startsWith("started=") && trimmed.length() > 8) {
                started = trimmed.substring(8);
            }
        }
        return "pid " + pid + ", started " + started;
    }

    /** The lock is held by another run of this same process, e.g. an embedding service's other thread. */
    private static LakeException lockedHere(String profile, String holder) {
        return new LakeException(LakeException.Kind.LOCKED, profile,
                "profile " + profile + " is locked by another run in this process (" + holder + ")",
                "wait for that sync of " + profile + " to return: a profile is synced by one run at a time");
    }

    private static LakeException locked(String profile, String holder) {
        return new LakeException(LakeException.Kind.LOCKED, profile,
                "profile " + profile + " is locked by another run: " + holder,
                "wait for it to finish; the lock is released when that process exits");
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
