package io.quantsinfra.lake;

import io.quantsinfra.lake.config.Profile;
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
    private final Path root;
    private final boolean inplace;
    private final Optional<String> partialDir;
    /** Directories this run already checked or created: each is checked once, not once per file. */
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();

    LocalLayout(Profile profile) {
        this.root = profile.localDir();
        this.inplace = profile.rsync().inplace();
        this.partialDir = profile.rsync().partialDir();
    }

    /** The profile directory. */
    Path root() {
        return root;
    }

    /** The final local path of {@code relative}, checked to stay inside the profile directory. */
    Path target(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("path escapes the profile directory: " + NameRules.printable(relative));
        }
        return p;
    }

    /** Where the bytes of {@code relative} are written before it is published. */
    Path staging(String relative) {
        return stagingOf(target(relative));
    }

    /** Where the bytes for the final path {@code target} (from {@link #target}) are written first. */
    Path stagingOf(Path target) {
        if (inplace) {
            return target;
        }
        String name = target.getFileName().toString();
        return partialDir.map(d -> target.resolveSibling(d).resolve(name))
                .orElseGet(() -> target.resolveSibling("." + name + NameRules.TEMP_SUFFIX));
    }

    /** Whether bytes are written to the final name directly. */
    boolean inplace() {
        return inplace;
    }

    /**
     * For a name found in a local directory: the name of the file whose partial data it holds,
     * if it is one of our temporary files.
     */
    static Optional<String> partialOf(String name) {
        if (name.startsWith(".") && name.endsWith(NameRules.TEMP_SUFFIX) && name.length() > NameRules.TEMP_SUFFIX.length() + 1) {
            return Optional.of(name.substring(1, name.length() - NameRules.TEMP_SUFFIX.length()));
        }
        return Optional.empty();
    }

    /** Whether {@code name} is the configured partial directory. */
    boolean isPartialDir(String name) {
        return partialDir.isPresent() && partialDir.get().equals(name);
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
