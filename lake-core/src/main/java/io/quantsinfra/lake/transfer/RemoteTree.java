package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.RemoteEntry;
import io.quantsinfra.lake.plan.RemoteListing;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Lists the remote tree breadth first, many directories per call and several calls at once. Every name is
 * checked by {@link NameRules} before it becomes a path; excluded directories are not descended.
 * A name that is not text is skipped with a warning: no local entry can stand for it. So is a
 * link whose target is not text, which could only be recreated pointing elsewhere.
 */
final class RemoteTree {
    /** Directories listed by one remote call (see {@link RemoteFs#listAll}). */
    private static final int LIST_GROUP = 32;
    /** About how many listed entries may wait for the visitor: a few MiB, whatever the tree's size. */
    private static final long ENTRIES_AHEAD = 64 * 1024;
    /** Calls in flight at least, so that listing and visiting overlap even for large directories. */
    private static final int MIN_CALLS_AHEAD = 2;
    /** Calls in flight at most: enough for a whole level of a dated tree at a high round-trip time. */
    private static final int MAX_CALLS_AHEAD = 64;

    private final RemoteSession session;
    private final String remoteRoot;
    private final PathFilter filter;
    private final boolean recursive;
    private final boolean readLinks;
    private final Retention retention;
    private final ExecutorService pool;
    private final Consumer<String> warnings;

    /**
     * @param remoteRoot the absolute remote directory that maps to the profile directory
     * @param recursive  whether to descend into subdirectories ({@code -r})
     * @param readLinks  whether symlink targets are read ({@code -l})
     * @param retention  expired top-level directories are neither listed nor transferred
     * @param pool       the threads that list directories in parallel
     * @param warnings   hears of each name or link target skipped because it is not text, from any of those threads
     */
    RemoteTree(RemoteSession session, String remoteRoot, PathFilter filter, boolean recursive, boolean readLinks,
               Retention retention, ExecutorService pool, Consumer<String> warnings) {
        this.session = session;
        this.remoteRoot = remoteRoot;
        this.filter = filter;
        this.recursive = recursive;
        this.readLinks = readLinks;
        this.retention = retention;
        this.pool = pool;
        this.warnings = warnings;
    }

    /** The remote path of {@code relative} under {@code root}. */
    static String join(String root, String relative) {
        if (relative.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + relative : root + "/" + relative;
    }

    /** Hears each directory's listing, on the walking thread, in breadth-first order. */
    interface Visitor {
        void visit(RemoteListing listing);
    }

    /**
     * Lists everything below the remote root, one directory at a time, and hands each listing to
     * {@code visitor} before it is dropped. Directories are listed {@link #LIST_GROUP} to a call
     * and several calls ahead of the visitor, as many as keep about {@link #ENTRIES_AHEAD} entries
     * waiting: memory then depends on the size of directories, never on the size of the tree.
     *
     * @throws IOException when the root itself cannot be listed
     */
    void walk(Visitor visitor) throws IOException {
        RemoteListing root = listDirs(List.of("")).get(0);
        if (root.itemCount() < 0) {
            throw new IOException(root.errors().get(0).message());
        }
        Deque<String> pending = new ArrayDeque<>();
        Deque<Future<List<RemoteListing>>> ahead = new ArrayDeque<>();
        long listed = 0;
        long entries = 0;
        List<RemoteListing> done = List.of(root);
        while (true) {
            for (RemoteListing l : done) {
                l.entries().stream().filter(e -> e.type() == EntryType.DIRECTORY).forEach(e -> pending.add(e.path()));
                listed++;
                entries += Math.max(0, l.itemCount());
            }
            int calls = callsAhead(entries, listed);
            while (ahead.size() < calls && !pending.isEmpty()) {
                List<String> group = new ArrayList<>();
                while (group.size() < LIST_GROUP && !pending.isEmpty()) {
                    group.add(pending.poll());
                }
                ahead.add(pool.submit(() -> listDirs(group)));
            }
            for (RemoteListing l : done) {
                visitor.visit(l); // while the calls just queued are listing
            }
            if (ahead.isEmpty()) {
                return;
            }
            done = await(ahead.poll());
        }
    }

    /** Calls to keep in flight, from the mean size of the directories listed so far. */
    private static int callsAhead(long entries, long listed) {
        long perCall = Math.max(1, entries / listed) * LIST_GROUP;
        return (int) Math.max(MIN_CALLS_AHEAD, Math.min(MAX_CALLS_AHEAD, ENTRIES_AHEAD / perCall));
    }

    /** Lists the directories {@code rels} (relative paths) with one remote call. */
    private List<RemoteListing> listDirs(List<String> rels) throws IOException {
        List<String> dirs = rels.stream().map(rel -> join(remoteRoot, rel)).toList();
        List<RemoteFs.Listing> listings;
        try {
            listings = session.call(fs -> fs.listAll(dirs));
        } catch (LakeException e) {
            throw e;
        } catch (IOException e) {
            listings = dirs.stream().map(d -> new RemoteFs.Listing(null, e)).toList();
        }
        List<RemoteListing> levels = new ArrayList<>();
        for (int i = 0; i < rels.size(); i++) {
            RemoteFs.Listing l = listings.get(i);
            levels.add(l.error() == null ? level(rels.get(i), l.items())
                    : new RemoteListing(rels.get(i), List.of(), List.of(), List.of(),
                    List.of(new PathError(rels.get(i), "cannot list " + dirs.get(i) + ": " + l.error().getMessage())), -1));
        }
        return levels;
    }

    /** One directory's entries, checked, filtered and sorted. */
    private RemoteListing level(String rel, List<RemoteFs.Item> items) throws IOException {
        String dir = join(remoteRoot, rel);
        List<RemoteEntry> entries = new ArrayList<>();
        List<SyncPlan.Skip> skips = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        String prefix = rel.isEmpty() ? "" : rel + "/";
        for (RemoteFs.Item item : items) {
            if (!item.nameIsText()) {
                // a skip, not an error: nothing local can correspond to it, so --delete may go on
                String printable = prefix + item.name();
                skips.add(new SyncPlan.Skip(printable, NameRules.NOT_TEXT));
                warnings.accept(join(dir, item.name()) + ": remote " + NameRules.NOT_TEXT);
                continue;
            }
            // an error, not a skip: a run under another locale may have stored it, and --delete must not guess
            Optional<String> bad = NameRules.problem(item.name());
            if (bad.isEmpty()) {
                bad = NameRules.unstorable(item.name());
            }
            String path = prefix.concat(item.name()); // one allocation: "+" would build it in a growing StringBuilder
            if (bad.isPresent()) {
                errors.add(new PathError(prefix + NameRules.printable(item.name()),
                        "refused remote name in " + dir + ": " + bad.get()));
                continue;
            }
            boolean isDir = item.type() == EntryType.DIRECTORY;
            if (!filter.includes(path, isDir)) {
                skips.add(new SyncPlan.Skip(path, "excluded by " + filter.decidingRule(path, isDir).map(Object::toString).orElse("a filter")));
                continue;
            }
            if (isDir && rel.isEmpty() && retention.isExpired(item.name())) {
                expired.add(path);
                continue;
            }
            if (isDir && !recursive) {
                skips.add(new SyncPlan.Skip(path, "directory skipped (rsync_args has no -r or -a)"));
                continue;
            }
            Optional<String> target = Optional.empty();
            if (item.type() == EntryType.SYMLINK && readLinks) {
                String linkPath = join(remoteRoot, path);
                try {
                    target = Optional.of(session.call(fs -> fs.readLink(linkPath)));
                } catch (LakeException e) {
                    throw e;
                } catch (CharacterCodingException e) {
                    // a skip, as for a name that is not text: a lossy target would lead somewhere else
                    skips.add(new SyncPlan.Skip(path, NameRules.TARGET_NOT_TEXT));
                    warnings.accept(linkPath + ": remote " + NameRules.TARGET_NOT_TEXT);
                    continue;
                } catch (IOException e) {
                    errors.add(new PathError(path, "cannot read symlink " + linkPath + ": " + e.getMessage()));
                    continue;
                }
            }
            entries.add(new RemoteEntry(path, item.type(), item.size(), item.mtime(), item.permissions(), target));
        }
        entries.sort(Comparator.comparing(RemoteEntry::path));
        Collections.sort(expired);
        return new RemoteListing(rel, entries, skips, expired, errors, items.size());
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while listing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // e.g. OutOfMemoryError: not a listing failure, whatever the message would say
            }
            throw new IOException(e.getCause());
        }
    }
}
