package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.PlannedTransfers;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One plan in the making, fed one directory at a time: each remote directory with the local
 * directory of the same path, merged in lock step ({@link March}), then the directories only
 * the lake has. Only the work is kept (transfers, deletions, links, skips, errors) and counts, so
 * a sync with nothing to do holds no entry once its directory is planned, and a full sync holds
 * its transfers in columns ({@link PlannedTransfers}).
 *
 * <p>The remote root's listing comes first. Symlinks are decided at the end, when every
 * directory they may pass through is known; only the paths of directories and links are
 * remembered for them, and only with {@code -l}.
 */
public final class Planning {
    private static final Comparator<SyncPlan.Skip> SKIP_ORDER = Comparator.comparing(SyncPlan.Skip::path);
    private static final Comparator<PathError> ERROR_ORDER = Comparator.comparing(PathError::path);

    /** A remote symlink waiting for the whole tree, with the local entry of its path (or null). */
    private record PendingLink(RemoteEntry remote, LocalEntry local) {
    }

    private final Planner planner;
    private final Profile profile;
    private final boolean delete;
    private final DeletionPlanner deletion;
    private final Map<String, Checkpoint.Partial> partials;
    private final PlannedTransfers.Builder transfers = new PlannedTransfers.Builder();
    private final List<SyncPlan.Directory> directories = new ArrayList<>();
    private final List<SyncPlan.Link> links = new ArrayList<>();
    private final List<PendingLink> pendingLinks = new ArrayList<>();
    /** Skips and errors found while listing, in listing order; the plan's own are sorted at the end. */
    private final List<SyncPlan.Skip> listingSkips = new ArrayList<>();
    private final List<PathError> listingErrors = new ArrayList<>();
    private final List<SyncPlan.Skip> skips = new ArrayList<>();
    private final List<PathError> errors = new ArrayList<>();
    private final List<String> expired = new ArrayList<>();
    /** With -l: the remote directories and links, by path, that symlink targets are checked against. */
    private final Set<String> remoteDirectories = new HashSet<>();
    private final Set<String> remoteLinks = new HashSet<>();
    /** With -l: the local non-directories standing where the remote has a directory. */
    private final Map<String, EntryType> localInTheWay = new HashMap<>();
    private boolean rootSeen;
    private boolean rootEmpty;
    private long files;
    private long bytes;
    private long toWrite;

    Planning(Planner planner, Profile profile, DeletionPlanner deletion, Map<String, Checkpoint.Partial> partials) {
        this.planner = planner;
        this.profile = profile;
        this.delete = profile.rsync().delete();
        this.deletion = deletion;
        this.partials = Map.copyOf(partials);
    }

    /**
     * Plans one remote directory against the local directory of the same path.
     *
     * @param remote the remote directory's listing; the root's comes first
     * @param local  the local directory's listing, empty when the lake has none
     * @return the local directories whose whole content must be planned with {@link #localOnly}:
     *         only the lake has them, and {@code --delete} removes what they hold
     */
    public List<String> directory(RemoteListing remote, LocalListing local) {
        if (!rootSeen) {
            rootSeen = true;
            rootEmpty = remote.itemCount() == 0;
            List<String> tops = new ArrayList<>(remote.expired());
            remote.entries().stream().filter(e -> e.type() == EntryType.DIRECTORY).forEach(e -> tops.add(e.path()));
            deletion.remoteTop(tops);
        }
        expired.addAll(remote.expired());
        listingSkips.addAll(remote.skips());
        listingErrors.addAll(remote.errors());
        List<String> localOnly = new ArrayList<>();
        List<SyncPlan.Transfer> here = new ArrayList<>();
        March.merge(remote.entries(), local.entries(), new March.Visitor() {
            @Override
            public void remote(RemoteEntry r, LocalEntry l) {
                plan(r, l, local, here);
                if (l != null && delete) {
                    deletion.shared(l);
                    if (l.type() == EntryType.DIRECTORY && r.type() != EntryType.DIRECTORY) {
                        localOnly.add(l.path()); // in the way of a file: its content is not on the remote
                    }
                }
            }

            @Override
            public void localOnly(LocalEntry l) {
                planLocalOnly(l, localOnly);
            }
        });
        addRuns(here, remote.entries());
        return localOnly;
    }

    /**
     * Adds a directory's transfers to the plan's in runs that no other path falls between: the
     * files on each side of a subdirectory's tree make separate runs, since paths under
     * {@code d/} sort between the names around {@code d/}, which is not always where {@code d}
     * sorts (as in {@code d}, {@code d.csv}, {@code d/x}).
     */
    private void addRuns(List<SyncPlan.Transfer> here, List<RemoteEntry> entries) {
        List<String> subtrees = entries.stream().filter(e -> e.type() == EntryType.DIRECTORY).map(e -> e.path() + "/")
                .sorted().toList();
        int next = 0;
        List<SyncPlan.Transfer> run = new ArrayList<>();
        for (SyncPlan.Transfer t : here) {
            boolean crossed = false;
            while (next < subtrees.size() && subtrees.get(next).compareTo(t.path()) < 0) {
                next++;
                crossed = true;
            }
            if (crossed && !run.isEmpty()) {
                transfers.addRun(run);
                run = new ArrayList<>();
            }
            run.add(t);
        }
        transfers.addRun(run);
    }

    /**
     * Plans a local directory the remote does not have: with {@code --delete} all it holds goes.
     *
     * @return its directories, to plan the same way
     */
    public List<String> localOnly(LocalListing local) {
        List<String> next = new ArrayList<>();
        for (LocalEntry l : local.entries()) {
            planLocalOnly(l, next);
        }
        return next;
    }

    /** A local entry the remote does not have: with {@code --delete} it goes; a directory's content is planned next, from {@code dirs}. */
    private void planLocalOnly(LocalEntry l, List<String> dirs) {
        if (delete && deletion.localOnly(l) && l.type() == EntryType.DIRECTORY) {
            dirs.add(l.path());
        }
    }

    /** The plan, once every directory was heard. */
    public SyncPlan finish() {
        for (PendingLink p : pendingLinks) {
            link(p.remote(), p.local());
        }
        directories.sort(Comparator.comparing(SyncPlan.Directory::path));
        links.sort(Comparator.comparing(SyncPlan.Link::path));
        skips.sort(SKIP_ORDER);
        errors.sort(ERROR_ORDER);
        List<SyncPlan.Skip> allSkips = new ArrayList<>(listingSkips);
        allSkips.addAll(skips);
        List<PathError> allErrors = new ArrayList<>(listingErrors);
        allErrors.addAll(errors);
        DeletionPlanner.Deletions deletions = delete ? deletion.deletions()
                : new DeletionPlanner.Deletions(List.of(), List.of(), 0);
        Optional<String> blocked = new DeletionGuard(profile).refusal(rootEmpty, allErrors, files, deletions);
        return new SyncPlan(transfers.build(), directories, links, deletions.deletions(), deletions.kept(), allSkips, expired,
                allErrors, blocked, files, bytes, toWrite);
    }

    /**
     * What to do with the remote entry {@code r}, whose local counterpart is {@code l} (or null);
     * a transfer goes to {@code here}, the directory's.
     */
    private void plan(RemoteEntry r, LocalEntry l, LocalListing local, List<SyncPlan.Transfer> here) {
        switch (r.type()) {
            case DIRECTORY -> {
                if (profile.rsync().symlinks()) {
                    remoteDirectories.add(r.path());
                }
                if (l == null || l.type() == EntryType.DIRECTORY) {
                    directories.add(new SyncPlan.Directory(r.path(), r.mtime(), l == null));
                } else {
                    errors.add(new PathError(r.path(), "a local " + Planner.describe(l.type())
                            + " is in the way of the remote directory; move it aside"));
                    if (profile.rsync().symlinks()) {
                        localInTheWay.put(r.path(), l.type());
                    }
                }
            }
            case FILE -> {
                files++;
                bytes += r.size();
                Optional<String> young = planner.tooYoung(r);
                if (young.isPresent()) {
                    skips.add(new SyncPlan.Skip(r.path(), young.get()));
                } else if (l != null && l.type() == EntryType.DIRECTORY) {
                    errors.add(new PathError(r.path(), "a local directory is in the way of the remote file; move it aside"));
                } else {
                    Optional<String> reason = planner.transferReason(r, l);
                    if (reason.isPresent()) {
                        long staged = planner.staged(r, l, local);
                        here.add(planner.transfer(r, staged, reason.get(), partials));
                        toWrite += Math.max(0, r.size() - staged);
                    }
                }
            }
            case SYMLINK -> {
                if (profile.rsync().symlinks()) {
                    remoteLinks.add(r.path());
                }
                pendingLinks.add(new PendingLink(r, l));
            }
            default -> skips.add(new SyncPlan.Skip(r.path(), "not a regular file, directory or symlink"));
        }
    }

    /** Recreates, skips or refuses one remote symlink, once the whole tree is known. */
    private void link(RemoteEntry r, LocalEntry l) {
        Optional<String> why = planner.linkProblem(r, this::remoteType, path -> Optional.ofNullable(localInTheWay.get(path)));
        if (why.isPresent()) {
            skips.add(new SyncPlan.Skip(r.path(), why.get()));
        } else if (l != null && l.type() == EntryType.DIRECTORY) {
            errors.add(new PathError(r.path(), "a local directory is in the way of the remote symlink; move it aside"));
        } else if (l == null || !l.linkTarget().equals(r.linkTarget())) {
            links.add(new SyncPlan.Link(r.path(), r.linkTarget().orElseThrow()));
        }
    }

    private Optional<EntryType> remoteType(String path) {
        if (remoteDirectories.contains(path)) {
            return Optional.of(EntryType.DIRECTORY);
        }
        return remoteLinks.contains(path) ? Optional.of(EntryType.SYMLINK) : Optional.empty();
    }
}
