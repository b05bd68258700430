package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunThreadsTest {
    private static int at(double millis) {
        return RunThreads.filesInFlight(Duration.ofNanos((long) (millis * 1e6)));
    }

    @Test
    void aFastLinkKeepsSixteenFilesInFlight() {
        assertEquals(16, at(0));
        assertEquals(16, at(0.05)); // loopback
        assertEquals(16, at(2.5));
    }

    @Test
    void filesInFlightFollowTheRoundTrip() {
        assertEquals(32, at(5));
        assertEquals(64, at(10));
        assertEquals(256, at(40));
        assertEquals(640, at(100));
    }

    @Test
    void aVeryLongRoundTripStopsAtTheMostParallelFilesAllows() {
        assertEquals(1024, at(160));
        assertEquals(1024, at(600));
    }
}
