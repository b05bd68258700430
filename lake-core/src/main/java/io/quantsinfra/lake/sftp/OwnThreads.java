package io.quantsinfra.lake.sftp;

import java.util.concurrent.Executor;

/**
 * Runs each task on a new daemon thread of its own. The library never borrows the JVM's common
 * pool: an application that embeds it may keep that pool busy, and a connection would wait
 * behind its tasks.
 */
final class OwnThreads {
    private OwnThreads() {
    }

    /** An executor whose threads are named {@code name}. */
    static Executor named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }
}
