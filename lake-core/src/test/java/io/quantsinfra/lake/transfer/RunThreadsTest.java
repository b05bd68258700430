package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunThreadsTest {
    private static int at(double millis) {
        return RunThreads.workersFor(Duration.ofNanos((long) (millis * 1e6)));
    }

    @Test
    void aFastOrNearLinkHasSixteenWorkers() {
        assertEquals(16, at(0));
        assertEquals(16, at(0.05)); // loopback
        assertEquals(16, at(2.5));
        assertEquals(16, at(20));
    }

    @Test
    void workersFollowTheRoundTrip() {
        assertEquals(32, at(40));
        assertEquals(80, at(100));
        assertEquals(480, at(600));
    }

    @Test
    void aVeryLongRoundTripStopsAtTheMostParallelFilesAllows() {
        assertEquals(1024, at(1280));
        assertEquals(1024, at(3000));
    }
}
