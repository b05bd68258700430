package io.quantsinfra.lake.state;

import io.quantsinfra.lake.LakeException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A child process for {@link ProfileLockTest}. Arguments: {@code hold <lockFile> <profile>} takes
 * the lock, prints {@code HOLDING <pid>} and sleeps until killed (at most a minute);
 * {@code try <lockFile> <profile>} tries once and prints {@code ACQUIRED} or
 * {@code LOCKED <message>}.
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    /** Runs the child; see the class comment. */
    public static void main(String[] args) throws InterruptedException {
        Path lockFile = Path.of(args[1]);
        String profile = args[2];
        ProfileLock lock;
        try {
            lock = ProfileLock.acquire(lockFile, profile, Clock.systemUTC());
        } catch (LakeException e) {
            System.out.println("LOCKED " + e.getMessage());
            return;
        }
        if (args[0].equals("hold")) {
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(60_000);
        } else {
            System.out.println("ACQUIRED");
        }
        lock.close();
    }
}
