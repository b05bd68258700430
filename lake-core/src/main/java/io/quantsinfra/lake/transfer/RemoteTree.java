package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.RemoteEntry;
import io.quantsinfra.lake.plan.RemoteListing;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Lists the remote tree breadth first, all directories of a level at once. Every name is
 * checked by {@link NameRules} before it becomes a path; excluded directories are not descended.
 * A name that is not text is skipped with a warning: no local entry can stand for it.
 */
final class RemoteTree {
    /** Directories listed by one remote call (see {@link RemoteFs#listAll}). */
    private static final int LIST_GROUP = 32;

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
     * @param warnings   hears of each name skipped because it is not text, from any of those threads
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

    /** One directory's listing, ready to merge. */
    private record Level(List<RemoteEntry> entries, List<String> subdirs, List<SyncPlan.Skip> skips,
                         List<String> expired, List<PathError> errors, int rawCount) {
    }

    /**
     * Lists everything below the remote root.
     *
     * @throws IOException when the root itself cannot be listed
     */
    RemoteListing list() throws IOException {
        TreeMap<String, RemoteEntry> entries = new TreeMap<>();
        List<SyncPlan.Skip> skips = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        Level root = listDirs(List.of("")).get(0);
        if (!root.errors().isEmpty() && root.rawCount() < 0) {
            throw new IOException(root.errors().get(0).message());
        }
        boolean rootEmpty = root.rawCount() == 0;
        List<Level> level = List.of(root);
        while (!level.isEmpty()) {
            List<Future<List<Level>>> next = new ArrayList<>();
            List<String> group = new ArrayList<>();
            for (Level l : level) {
                l.entries().forEach(e -> entries.put(e.path(), e));
                skips.addAll(l.skips());
                errors.addAll(l.errors());
                for (String dir : l.subdirs()) {
                    group.add(dir);
                    if (group.size() == LIST_GROUP) {
                        List<String> dirs = List.copyOf(group);
                        group.clear();
                        next.add(pool.submit(() -> listDirs(dirs)));
                    }
                }
            }
            if (!group.isEmpty()) {
                next.add(pool.submit(() -> listDirs(group)));
            }
            List<Level> done = new ArrayList<>();
            for (Future<List<Level>> f : next) {
                done.addAll(await(f));
            }
            level = done;
        }
        return new RemoteListing(entries, skips, root.expired(), errors, rootEmpty);
    }

    /** Lists the directories {@code rels} (relative paths) with one remote call. */
    private List<Level> listDirs(List<String> rels) throws IOException {
        List<String> dirs = rels.stream().map(rel -> join(remoteRoot, rel)).toList();
        List<RemoteFs.Listing> listings;
        try {
            listings = session.call(fs -> fs.listAll(dirs));
        } catch (LakeException e) {
            throw e;
        } catch (IOException e) {
            listings = dirs.stream().map(d -> new RemoteFs.Listing(null, e)).toList();
        }
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < rels.size(); i++) {
            RemoteFs.Listing l = listings.get(i);
            levels.add(l.error() == null ? level(rels.get(i), l.items())
                    : new Level(List.of(), List.of(), List.of(), List.of(),
                    List.of(new PathError(rels.get(i), "cannot list " + dirs.get(i) + ": " + l.error().getMessage())), -1));
        }
        return levels;
    }

    /** One directory's entries, checked and filtered, and its subdirectories to list next. */
    private Level level(String rel, List<RemoteFs.Item> items) throws IOException {
        String dir = join(remoteRoot, rel);
        List<RemoteEntry> entries = new ArrayList<>();
        List<String> subdirs = new ArrayList<>();
        List<SyncPlan.Skip> skips = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        for (RemoteFs.Item item : items) {
            if (!item.nameIsText()) {
                // a skip, not an error: nothing local can correspond to it, so --delete may go on
                String printable = (rel.isEmpty() ? "" : rel + "/") + item.name();
                skips.add(new SyncPlan.Skip(printable, NameRules.NOT_TEXT));
                warnings.accept(join(dir, item.name()) + ": remote " + NameRules.NOT_TEXT);
                continue;
            }
            // an error, not a skip: a run under another locale may have stored it, and --delete must not guess
            Optional<String> bad = NameRules.problem(item.name()).or(() -> NameRules.unstorable(item.name()));
            String path = rel.isEmpty() ? item.name() : rel + "/" + item.name();
            if (bad.isPresent()) {
                errors.add(new PathError((rel.isEmpty() ? "" : rel + "/") + NameRules.printable(item.name()),
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
                } catch (IOException e) {
                    errors.add(new PathError(path, "cannot read symlink " + linkPath + ": " + e.getMessage()));
                    continue;
                }
            }
            entries.add(new RemoteEntry(path, item.type(), item.size(), item.mtime(), item.permissions(), target));
            if (isDir) {
                subdirs.add(path);
            }
        }
        Collections.sort(subdirs);
        Collections.sort(expired);
        return new Level(entries, subdirs, skips, expired, errors, items.size());
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
            throw new IOException(e.getCause());
        }
    }
}
