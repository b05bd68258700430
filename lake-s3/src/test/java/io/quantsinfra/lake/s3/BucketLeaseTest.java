package io.quantsinfra.lake.s3;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease against a store that honours If-None-Match and If-Match, as AWS S3 and MinIO do
 * (S3Proxy ignores them, see {@link S3LakeSyncTest}): one holder at a time, expiry, take-over.
 */
class BucketLeaseTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String KEY = "raw/.lake/leases/p";

    private final Conditional store = new Conditional();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        renewals.shutdownNow();
    }

    private BucketLease take(Instant at) {
        return BucketLease.take(store, KEY, "profile p", Clock.fixed(at, ZoneOffset.UTC), renewals);
    }

    @Test
    void aSecondPuller_isRefusedWhileTheLeaseRuns_andTakesItOnceGivenBack() {
        BucketLease first = take(NOW);

        LakeException e = assertThrows(LakeException.class, () -> take(NOW.plusSeconds(30)));

        assertEquals(LakeException.Kind.LOCKED, e.kind());
        assertTrue(e.getMessage().contains("is being synced by pid " + ProcessHandle.current().pid()), e.getMessage());
        assertTrue(e.getMessage().contains("runs until " + NOW.plus(BucketLease.TERM)), e.getMessage());
        first.close();
        assertEquals(Optional.empty(), store.head(KEY), "given back");
        assertDoesNotThrow(() -> take(NOW.plusSeconds(31)).close());
    }

    @Test
    void aLeaseItsHolderStoppedRenewing_isTakenOverOnceExpired() {
        take(NOW); // never closed: its holder died

        BucketLease second = take(NOW.plus(BucketLease.TERM).plusSeconds(1));

        assertDoesNotThrow(second::requireHeld);
        second.close();
    }

    @Test
    void aHolderWhoseLeaseWasTakenOver_stopsWriting() {
        BucketLease first = take(NOW);
        take(NOW.plus(BucketLease.TERM).plusSeconds(1)); // its renewals failed for a whole term

        first.renew();

        LakeException e = assertThrows(LakeException.class, first::requireHeld);
        assertEquals(LakeException.Kind.LOCKED, e.kind());
        first.close();
        assertTrue(store.head(KEY).isPresent(), "the other puller's lease stays");
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverSinceItsLastRenewal_leavesTheNewLeaseWhenItEnds() {
        BucketLease first = take(NOW);
        BucketLease second = take(NOW.plus(BucketLease.TERM).plusSeconds(1)); // before first's next renewal
        String seconds = store.head(KEY).orElseThrow().etag();

        first.close();

        assertEquals(seconds, store.head(KEY).map(ObjectHead::etag).orElse("gone"), "the other puller's lease stays");
        assertDoesNotThrow(second::requireHeld);
        second.close();
        assertEquals(Optional.empty(), store.head(KEY), "its holder gives it back");
    }

    @Test
    void renewing_pushesTheEndOut() {
        BucketLease lease = take(NOW);
        String before = store.head(KEY).orElseThrow().etag();

        lease.renew();

        assertTrue(!before.equals(store.head(KEY).orElseThrow().etag()));
        assertDoesNotThrow(lease::requireHeld);
        lease.close();
    }

    /** Objects in memory, with S3's conditional writes. */
    private static final class Conditional implements ConditionalObjects {
        private final Map<String, ObjectHead> objects = new HashMap<>();
        private final AtomicInteger versions = new AtomicInteger();

        @Override
        public synchronized Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> meta) {
            return objects.containsKey(key) ? Optional.empty() : Optional.of(put(key, meta));
        }

        @Override
        public synchronized Optional<String> replaceIfMatch(String key, String etag, byte[] content, Map<String, String> meta) {
            ObjectHead now = objects.get(key);
            return now == null || !now.etag().equals(etag) ? Optional.empty() : Optional.of(put(key, meta));
        }

        @Override
        public synchronized Optional<ObjectHead> head(String key) {
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public synchronized DeleteReport deleteAll(Collection<String> keys) {
            keys.forEach(objects::remove);
            return new DeleteReport(List.copyOf(keys), List.of());
        }

        private String put(String key, Map<String, String> meta) {
            String etag = "\"v" + versions.incrementAndGet() + "\"";
            objects.put(key, new ObjectHead(key, 0, etag, NOW, meta));
            return etag;
        }
    }
}
