package io.quantsinfra.lake.store;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.NameRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where things go under a profile directory: final files, hidden temporary files, partial
 * directories. It is the one place that turns a relative path into a local {@link Path}, and it
 * refuses any path that would leave the profile directory or pass through a symlink. One layout
 * serves one run: directories it checked are remembered for the rest of the run.
 */
final class LocalLayout {
    private final Path lakeRoot;
    private final Path root;
    private final Profile profile;
    private final Optional<String> partialDir;
    /** Directories this run already checked or created: each is checked once, not once per file. */
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();

    /**
     * The layout of {@code profile}'s directory, {@code root_dir/local_subdir}.
     *
     * @throws LakeException of kind {@code CONFIG} for a profile of a lake in an object store
     */
    LocalLayout(Profile profile) {
        this.root = profile.localDir().orElseThrow(() -> new LakeException(LakeException.Kind.CONFIG, profile.location(),
                "root_dir is an object store (profile " + profile.name() + " at " + profile.location()
                        + "), but this DataLake writes a local directory",
                "build the DataLake with an object-store LakeStoreFactory (lake-s3), as the CLI does"));
        Path up = root;
        for (int i = Path.of(profile.localSubdir()).normalize().getNameCount(); i > 0; i--) {
            up = up.getParent();
        }
        this.lakeRoot = up;
        this.profile = profile;
        this.partialDir = profile.rsync().partialDir();
    }

    /** The profile directory. */
    Path root() {
        return root;
    }

    /**
     * The final local path of {@code relative}, checked to stay inside the profile directory.
     *
     * @throws LakeException of kind {@code LOCAL_IO} for a path that would leave it, which checked
     *                       names never make: a bug or a tampered input, stopping this profile only
     */
    Path target(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, root.toString(), "refusing the path \""
                    + NameRules.printable(relative) + "\": it leaves the profile directory " + root,
                    "nothing was written outside it; please report how this path came about");
        }
        return p;
    }

    /**
     * Checks the directories from {@code root_dir} down to the profile directory: none may be a
     * symlink (or anything but a directory), since files written or deleted through one would land
     * outside the lake. {@code root_dir} itself may be a link. Missing ones are fine: they are
     * created as real directories.
     *
     * @throws LakeException of kind {@code LOCAL_IO} naming the link and where it points
     */
    void requireRealDirectories() {
        Path current = lakeRoot;
        for (Path part : lakeRoot.relativize(root)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                String to;
                try {
                    to = " (it points to " + Files.readSymbolicLink(current) + ")";
                } catch (IOException e) {
                    to = "";
                }
                String where = current.equals(root) ? "the profile directory " + root + " is a symlink"
                        : "the profile directory " + root + " passes through " + current + ", a symlink";
                throw new LakeException(LakeException.Kind.LOCAL_IO, current.toString(), where + to
                        + "; refusing to write or delete through it, which could reach outside " + lakeRoot,
                        "replace the link by a real directory (a bind mount puts a profile on another disk),"
                                + " or point root_dir at the link's target"
                        + " (root_dir itself may be a symlink)");
            }
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new LakeException(LakeException.Kind.LOCAL_IO, current.toString(), current
                        + " is not a directory, so the profile directory " + root + " cannot be made there",
                        "move it aside, or choose another local_subdir");
            }
        }
    }

    /** Where the bytes of {@code relative} are written before it is published. */
    Path staging(String relative) {
        return stagingOf(relative, target(relative));
    }

    /** Where the bytes of {@code relative}, whose final path {@code target} is (from {@link #target}), are written first. */
    Path stagingOf(String relative, Path target) {
        if (inplace(relative)) {
            return target;
        }
        String name = target.getFileName().toString();
        return partialDir.map(d -> target.resolveSibling(d).resolve(name))
                .orElseGet(() -> target.resolveSibling(NameRules.stagingName(name)));
    }

    /** Whether the bytes of {@code relative} are written to its final name directly. */
    boolean inplace(String relative) {
        return profile.writesInPlace(relative);
    }

    /** Whether {@code name} is the configured partial directory. */
    boolean isPartialDir(String name) {
        return NameRules.isPartialDir(name, partialDir);
    }

    /**
     * Makes sure every directory from the profile root down to {@code dir} exists and none is a
     * symlink, so that nothing is ever written through a link planted in the lake.
     *
     * @throws IOException when a component is a symlink or not a directory
     */
    void ensureDirectory(Path dir) throws IOException {
        if (ready.contains(dir)) {
            return;
        }
        if (!dir.startsWith(root)) {
            throw new IOException("refusing to create " + dir + " outside " + root);
        }
        Files.createDirectories(root);
        Path current = root;
        for (Path part : root.relativize(dir)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new IOException(current + " is a symlink; refusing to write through it");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // created concurrently by another worker; checked below
                }
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(current + " is not a directory");
            }
            ready.add(current);
        }
    }
}
