package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1536, 1.5 KB", "5583457485, 5.2 GB", "1048576, 1.0 MB"})
    void bytes(long n, String text) {
        assertEquals(text, Units.bytes(n));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1421, '1,421'", "1234567, '1,234,567'"})
    void count(long n, String text) {
        assertEquals(text, Units.count(n));
    }

    @ParameterizedTest
    @CsvSource({"PT4.2S, 4.2s", "PT3M42S, 3m 42s", "PT2H5M, 2h 5m", "PT50H, 2d 2h"})
    void duration(String iso, String text) {
        assertEquals(text, Units.duration(Duration.parse(iso)));
    }

    @ParameterizedTest
    @CsvSource({"PT30S, just now", "PT1M, 1 minute ago", "PT2H10M, 2 hours ago", "PT25H, 1 day ago", "-PT1S, in the future"})
    void ago(String iso, String text) {
        assertEquals(text, Units.ago(Duration.parse(iso)));
    }
}
