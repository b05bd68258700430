package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks run on daemon threads of their own, named, whatever keeps the JVM's common pool busy. */
class OwnThreadsTest {
    @Test
    void eachTask_runsOnANewNamedDaemonThread() throws Exception {
        Thread caller = Thread.currentThread();
        Thread ran = CompletableFuture.supplyAsync(Thread::currentThread, OwnThreads.named("lake-test")).get(10, TimeUnit.SECONDS);

        assertNotSame(caller, ran);
        assertEquals("lake-test", ran.getName());
        assertTrue(ran.isDaemon(), "a daemon: an embedding application's exit never waits for it");
    }
}
