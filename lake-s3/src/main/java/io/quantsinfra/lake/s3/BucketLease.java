package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.store.LakeStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease on one profile, held in the bucket as an empty object whose metadata names its holder
 * and the time it runs until: created only if absent ({@code If-None-Match: *}), renewed and
 * taken over only if unchanged ({@code If-Match}). Two pullers on two machines then never sync
 * one profile at once. A holder that dies leaves a lease that expires by itself.
 */
final class BucketLease implements LakeStore.Claim {
    /** How long a lease runs without renewal: long enough for a slow link, short enough after a crash. */
    static final Duration TERM = Duration.ofMinutes(2);
    static final String HOLDER = "holder";
    static final String UNTIL = "until";

    private final ConditionalObjects store;
    private final String key;
    private final String where;
    private final Clock clock;
    private final String holder;
    private String etag;
    private volatile boolean lost;
    private ScheduledFuture<?> renewing;

    private BucketLease(ConditionalObjects store, String key, String where, Clock clock, String holder) {
        this.store = store;
        this.key = key;
        this.where = where;
        this.clock = clock;
        this.holder = holder;
    }

    /**
     * Takes the lease of {@code key}, or an expired one over, and renews it on {@code renewals}
     * until closed.
     *
     * @param where the profile and lake, for messages
     * @throws LakeException of kind {@code LOCKED} while another holder's lease runs
     */
    static BucketLease take(ConditionalObjects store, String key, String where, Clock clock,
                            ScheduledExecutorService renewals) {
        BucketLease lease = new BucketLease(store, key, where, clock, thisProcess());
        lease.acquire();
        long every = TERM.toMillis() / 3;
        lease.renewing = renewals.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    private void acquire() {
        Optional<String> created = store.putIfAbsent(key, new byte[0], terms());
        if (created.isPresent()) {
            etag = created.get();
            return;
        }
        Optional<ObjectHead> current = store.head(key);
        if (current.isEmpty()) { // given back meanwhile
            etag = store.putIfAbsent(key, new byte[0], terms()).orElseThrow(() -> locked("another puller", null));
            return;
        }
        Map<String, String> meta = current.get().userMetadata();
        Optional<Instant> until = until(meta);
        if (until.isPresent() && until.get().isAfter(clock.instant())) {
            throw locked(meta.getOrDefault(HOLDER, "another puller"), until.get());
        }
        etag = store.replaceIfMatch(key, current.get().etag(), new byte[0], terms())
                .orElseThrow(() -> locked("another puller", null)); // someone took the expired lease first
    }

    /** Pushes the lease's end out; a lease someone else took over meanwhile is lost. */
    synchronized void renew() {
        if (lost) {
            return;
        }
        try {
            Optional<String> renewed = store.replaceIfMatch(key, etag, new byte[0], terms());
            if (renewed.isPresent()) {
                etag = renewed.get();
            } else {
                lost = true;
            }
        } catch (LakeException e) {
            // the store is unreachable now; the run's own requests fail with the reason, the lease runs on until it expires
        }
    }

    /**
     * Stops the run from writing once another puller took the lease over (after this one's
     * renewals failed for a whole term).
     *
     * @throws LakeException of kind {@code LOCKED} when the lease is lost
     */
    void requireHeld() {
        if (lost) {
            throw new LakeException(LakeException.Kind.LOCKED, where, "lost the lease on " + where
                    + ": another puller took it over after it could not be renewed for " + TERM.toMinutes() + " minutes",
                    "the other puller goes on; check the link to the object store and run one puller per profile");
        }
    }

    /**
     * Stops renewing and deletes the lease, unless another puller holds it by now: one may have
     * taken it over since the last renewal, so the lease is read first and deleted only if it is
     * still the version this run wrote.
     */
    @Override
    public synchronized void close() {
        renewing.cancel(false);
        if (!lost) {
            try {
                if (store.head(key).map(h -> h.etag().equals(etag)).orElse(false)) {
                    store.deleteAll(List.of(key));
                }
            } catch (LakeException e) {
                // it expires by itself
            }
        }
    }

    private Map<String, String> terms() {
        return Map.of(HOLDER, holder, UNTIL, clock.instant().plus(TERM).toString());
    }

    private static Optional<Instant> until(Map<String, String> meta) {
        try {
            return Optional.ofNullable(meta.get(UNTIL)).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // unreadable: as good as expired
        }
    }

    private LakeException locked(String who, Instant until) {
        return new LakeException(LakeException.Kind.LOCKED, where, where + " is being synced by " + who
                + (until == null ? "" : " (its lease in the bucket runs until " + until + " unless renewed)"),
                "let that run finish; a puller that died leaves a lease that expires by itself within "
                        + TERM.toMinutes() + " minutes");
    }

    /** This process, as the lease names its holder. */
    private static String thisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unnamed host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host;
    }
}
