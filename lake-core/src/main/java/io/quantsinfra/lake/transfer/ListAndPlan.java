package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Planner;
import io.quantsinfra.lake.plan.Planning;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run's list and plan steps: the remote tree and the lake are listed one directory at a
 * time, and the pure {@link Planning} merges each pair of listings into the plan. A failed listing becomes the error that
 * says why.
 */
final class ListAndPlan {
    private final Profile profile;
    private final LakeStore lake;
    private final Retention retention;
    private final SyncListener listener;
    private final Clock clock;
    private final PathFilter filter;
    /** {@code user@host:port}, as messages name the source. */
    private final String where;

    ListAndPlan(Profile profile, LakeStore lake, Retention retention, SyncListener listener, Clock clock) {
        this.profile = profile;
        this.lake = lake;
        this.retention = retention;
        this.listener = listener;
        this.clock = clock;
        this.filter = profile.rsync().filter();
        this.where = profile.source().where();
    }

    /**
     * Lists the remote tree on {@code pool} and the lake, directory by directory, and plans each
     * directory as soon as both sides are listed.
     *
     * @param previous the last run's checkpoint, whose partial downloads may be resumed
     * @throws LakeException of kind CONNECTION when the remote root cannot be listed, of kind
     *                       LOCAL_IO when the lake cannot
     */
    SyncPlan plan(RemoteSession session, Checkpoint previous, ExecutorService pool) {
        String root = profile.source().remoteRoot();
        RemoteTree tree = new RemoteTree(session, root, filter, profile.rsync().recursive(), profile.rsync().symlinks(),
                retention, pool, listener::warning);
        // A held-back part grows until its writer adds the footer: its partial bytes are resumed
        // once their tail matches the remote, as those of a partial the checkpoint does not list.
        Set<String> heldBack = previous.heldBack().stream().map(Checkpoint.HeldBack::path).collect(Collectors.toSet());
        Map<String, Checkpoint.Partial> partials = previous.partials().stream().filter(p -> !heldBack.contains(p.path()))
                .collect(Collectors.toMap(Checkpoint.Partial::path, Function.identity(), (a, b) -> b));
        Planning planning = new Planner(profile, retention, clock.instant()).begin(partials);
        try {
            tree.walk(remote -> {
                Deque<String> localOnly = new ArrayDeque<>(planning.directory(remote, listLocal(remote.directory())));
                while (!localOnly.isEmpty()) {
                    localOnly.addAll(planning.localOnly(listLocal(localOnly.pop())));
                }
            });
        } catch (IOException e) {
            requireRootDirectory(session);
            throw new LakeException(LakeException.Kind.CONNECTION, where, "cannot list remote_root " + root
                    + " on " + where + ": " + e.getMessage(), "check that " + profile.source().user()
                    + " may read " + root, e);
        }
        return planning.finish();
    }

    /** One directory of the lake. */
    private LocalListing listLocal(String relative) {
        try {
            return lake.listDirectory(relative, filter, retention);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, lake.location(), "cannot list " + lake.location()
                    + ": " + e.getMessage(), "check that the lake directory is readable by this user", e);
        }
    }

    /**
     * Says why remote_root could not be listed when it is missing or not a directory; asked
     * only after its listing failed, so that a run spends no round trip on it.
     *
     * @throws LakeException of kind CONNECTION when it is missing or not a directory
     */
    private void requireRootDirectory(RemoteSession session) {
        String root = profile.source().remoteRoot();
        RemoteFs.Item rootItem;
        try {
            rootItem = session.call(fs -> fs.stat(root));
        } catch (NoSuchFileException e) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "remote_root " + root
                    + " does not exist on " + where, "check source.remote_root (and that the collector's disk is mounted)", e);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "cannot read remote_root " + root
                    + " on " + where + ": " + e.getMessage(), "check that " + profile.source().user()
                    + " may read " + root, e);
        }
        if (rootItem.type() != EntryType.DIRECTORY) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "remote_root " + root
                    + " on " + where + " is not a directory", "set source.remote_root to the data directory");
        }
    }
}
