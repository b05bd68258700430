package io.quantsinfra.lake.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceStampTest {

    @Test
    void userMetadata_roundTripsToTheNanosecond() {
        SourceStamp stamp = new SourceStamp(42, Instant.parse("2025-01-30T12:34:56.123456789Z"));

        assertEquals(Map.of("source-size", "42", "source-mtime", "2025-01-30T12:34:56.123456789Z"),
                stamp.toUserMetadata());
        assertEquals(Optional.of(stamp), SourceStamp.fromUserMetadata(stamp.toUserMetadata()));
    }

    @Test
    void fromUserMetadata_missingOrUnreadableValues_isEmpty() {
        assertEquals(Optional.empty(), SourceStamp.fromUserMetadata(Map.of()));
        assertEquals(Optional.empty(), SourceStamp.fromUserMetadata(Map.of("source-size", "42")));
        assertEquals(Optional.empty(),
                SourceStamp.fromUserMetadata(Map.of("source-size", "x", "source-mtime", "2025-01-30T00:00:00Z")));
        assertEquals(Optional.empty(),
                SourceStamp.fromUserMetadata(Map.of("source-size", "-1", "source-mtime", "2025-01-30T00:00:00Z")));
        assertEquals(Optional.empty(), SourceStamp.fromUserMetadata(Map.of("source-size", "1", "source-mtime", "yesterday")));
    }

    @Test
    void rejectsANegativeSize() {
        assertThrows(IllegalArgumentException.class, () -> new SourceStamp(-1, Instant.EPOCH));
    }
}
