package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Lists a profile's prefix one "directory" at a time, as the plan asks for them, and reads
 * ahead. A directory costs a LIST and a HEAD per object (its source mtime is metadata, which
 * listings do not carry); done one directory after the other, those round trips added up. So
 * when a directory is listed, the listings of its subdirectories start in the background, and
 * the plan finds them ready. At most {@link #AHEAD} listings wait unclaimed at once, so memory
 * does not grow with the lake.
 */
final class PrefixLister {
    /** Directory listings read ahead and not yet claimed, at most. */
    static final int AHEAD = 64;

    private final ObjectStore store;
    private final S3Location location;
    private final PathFilter filter;
    private final Retention retention;
    private final Executor requests;
    private final Map<String, CompletableFuture<List<LocalEntry>>> ahead = new ConcurrentHashMap<>();
    private final Semaphore room = new Semaphore(AHEAD);

    /**
     * @param requests runs the LIST and HEAD requests, several at a time; no task on it waits
     *                 for another
     */
    PrefixLister(ObjectStore store, S3Location location, PathFilter filter, Retention retention, Executor requests) {
        this.store = store;
        this.location = location;
        this.filter = filter;
        this.retention = retention;
        this.requests = requests;
    }

    /**
     * The entries of the directory {@code relative}, sorted by path, read ahead or now; then its
     * subdirectories are read ahead.
     */
    List<LocalEntry> list(String relative) {
        CompletableFuture<List<LocalEntry>> listing = ahead.remove(relative);
        if (listing != null) {
            room.release();
        } else {
            listing = start(relative);
        }
        List<LocalEntry> entries;
        try {
            entries = listing.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof LakeException l ? l : e;
        }
        for (LocalEntry e : entries) {
            if (e.type() == EntryType.DIRECTORY && !ahead.containsKey(e.path()) && room.tryAcquire()) {
                ahead.put(e.path(), start(e.path()));
            }
        }
        return entries;
    }

    /** Stops the listings read ahead that no one claimed. */
    void close() {
        ahead.values().forEach(f -> f.cancel(false));
        ahead.clear();
    }

    /** The LIST of a directory, then the HEAD of each of its objects, none waiting on a pool thread. */
    private CompletableFuture<List<LocalEntry>> start(String relative) {
        String prefix = relative.isEmpty() ? "" : relative + "/";
        String keys = location.keyPrefix() + prefix;
        return CompletableFuture.supplyAsync(() -> store.listLevel(keys), requests).thenCompose(level -> {
            List<LocalEntry> dirs = new ArrayList<>();
            for (String dir : level.directories()) {
                String name = dir.substring(keys.length(), dir.length() - 1);
                String rel = prefix + name;
                if (usable(name) && filter.includes(rel, true) && !(relative.isEmpty() && retention.isExpired(name))) {
                    dirs.add(new LocalEntry(rel, EntryType.DIRECTORY, 0, 0, Optional.empty()));
                }
            }
            List<CompletableFuture<LocalEntry>> files = new ArrayList<>();
            for (ObjectEntry object : level.files()) {
                String name = object.key().substring(keys.length());
                String rel = prefix + name;
                if (usable(name) && filter.includes(rel, false)) {
                    files.add(CompletableFuture.supplyAsync(() -> file(rel, object), requests));
                }
            }
            return CompletableFuture.allOf(files.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<LocalEntry> entries = new ArrayList<>(dirs);
                files.forEach(f -> entries.add(f.join()));
                entries.sort(Comparator.comparing(LocalEntry::path));
                return entries;
            });
        });
    }

    /** A name a local lake could hold too: keys with empty, "." or ".." segments are left alone. */
    static boolean usable(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..");
    }

    /** An object as a file: its size, and the remote mtime its metadata keeps (else its upload time). */
    private LocalEntry file(String rel, ObjectEntry object) {
        Instant mtime = store.head(object.key()).flatMap(ObjectHead::sourceStamp).map(SourceStamp::mtime)
                .orElse(object.lastModified());
        return new LocalEntry(rel, EntryType.FILE, object.size(), mtime.getEpochSecond(), Optional.empty());
    }
}
