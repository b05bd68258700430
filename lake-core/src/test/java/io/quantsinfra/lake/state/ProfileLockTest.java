package io.quantsinfra.lake.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProfileLockTest {
    private static final Instant START = Instant.parse("2024-11-28T14:30:45Z");
    private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);
    private static final long MY_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path lockFile() {
        return dir.resolve("checkpoints").resolve("cex_ticks.lock");
    }

    /** Starts {@link LockHolderMain} in a new JVM and returns its first line of output. */
    private Child child(String mode) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(),
                mode, lockFile().toString(), "cex_ticks")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        }).get(30, TimeUnit.SECONDS);
        return new Child(process, String.valueOf(line));
    }

    private record Child(Process process, String firstLine) {
    }

    @Test
    void acquire_createsTheFile_andRecordsPidAndStartTime() throws IOException {
        try (ProfileLock lock = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", lock.profile());
            assertEquals("pid=" + MY_PID + "\nstarted=2024-11-28T14:30:45Z\n", Files.readString(lockFile()));
        }
    }

    @Test
    void acquire_whileHeldInThisJvm_failsWithLocked_sayingItIsThisProcess() {
        try (ProfileLock held = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", held.profile());
            LakeException e = assertThrows(LakeException.class,
                    () -> ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK));
            assertEquals(LakeException.Kind.LOCKED, e.kind());
            assertEquals("cex_ticks", e.subject());
            assertEquals("profile cex_ticks is locked by another run in this process (pid " + MY_PID
                    + ", started 2024-11-28T14:30:45Z)", e.getMessage());
            assertEquals(Optional.of("wait for that sync of cex_ticks to return: a profile is synced by one run at a time"),
                    e.hint());
        }
    }

    @Test
    void acquire_afterClose_succeedsAgain_andTheFileStays() {
        ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK).close();
        assertTrue(Files.exists(lockFile()), "the lock file is never deleted");
        try (ProfileLock again = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", again.profile());
        }
    }

    @Test
    void close_twice_isHarmless() {
        ProfileLock lock = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK);
        lock.close();
        lock.close();
        ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK).close();
    }

    @Test
    void holder_describesTheHolder_onlyWhileLocked() {
        assertEquals(Optional.empty(), ProfileLock.holder(lockFile()), "no file yet");
        try (ProfileLock held = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", held.profile());
            assertEquals(Optional.of("pid " + MY_PID + ", started 2024-11-28T14:30:45Z"), ProfileLock.holder(lockFile()));
        }
        assertEquals(Optional.empty(), ProfileLock.holder(lockFile()));
        try (ProfileLock again = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", again.profile(), "probing leaves the lock free");
        }
    }

    @Test
    void failedAttemptsInThisJvm_doNotDropTheOsLock() throws Exception {
        // On POSIX, closing any descriptor of a file drops the process's locks on it: a second
        // acquire or a holder() probe that opened and closed the file would silently unlock it.
        try (ProfileLock held = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", held.profile());
            assertThrows(LakeException.class, () -> ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK));
            assertTrue(ProfileLock.holder(lockFile()).isPresent());

            Child other = child("try");
            assertEquals("LOCKED profile cex_ticks is locked by another run: pid " + MY_PID
                    + ", started 2024-11-28T14:30:45Z", other.firstLine());
        }
    }

    @Test
    void lockHeldByAnotherProcess_isRefused_untilThatProcessIsKilled() throws Exception {
        Child holder = child("hold");
        long childPid = holder.process().pid();
        assertEquals("HOLDING " + childPid, holder.firstLine());

        LakeException e = assertThrows(LakeException.class, () -> ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK));
        assertEquals(LakeException.Kind.LOCKED, e.kind());
        assertTrue(e.getMessage().startsWith("profile cex_ticks is locked by another run: pid " + childPid + ", started "),
                e.getMessage());
        assertTrue(ProfileLock.holder(lockFile()).orElseThrow().startsWith("pid " + childPid + ", started "));

        holder.process().destroyForcibly();
        assertTrue(holder.process().waitFor(30, TimeUnit.SECONDS), "the child did not die");

        assertEquals(Optional.empty(), ProfileLock.holder(lockFile()));
        try (ProfileLock lock = ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK)) {
            assertEquals("cex_ticks", lock.profile());
            assertEquals("pid=" + MY_PID + "\nstarted=2024-11-28T14:30:45Z\n", Files.readString(lockFile()));
        }
    }

    @Test
    void unreadableHolderInfo_isReportedAsUnknown() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Child holder = child("hold");
        assertTrue(holder.firstLine().startsWith("HOLDING "), holder.firstLine());
        Files.writeString(lockFile(), "garbage");

        LakeException e = assertThrows(LakeException.class, () -> ProfileLock.acquire(lockFile(), "cex_ticks", CLOCK));
        assertEquals("profile cex_ticks is locked by another run: pid unknown, started unknown", e.getMessage());
    }
}
