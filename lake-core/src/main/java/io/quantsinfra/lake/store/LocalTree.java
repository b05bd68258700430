package io.quantsinfra.lake.store;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Lists the local tree under a profile directory, without following symlinks. */
final class LocalTree {
    private LocalTree() {
    }

    /**
     * Lists everything under the layout's root. Our temporary files and partial directories are
     * not entries; their sizes are reported as partial bytes, by their own relative paths. Entries the filter excludes are
     * left out, so they are never deleted; an excluded directory is not descended. Expired
     * top-level directories are left out too: cleanup removes them.
     *
     * @throws IOException when the tree cannot be read
     */
    static LocalListing list(LocalLayout layout, PathFilter filter, Retention retention) throws IOException {
        Path root = layout.root();
        TreeMap<String, LocalEntry> entries = new TreeMap<>();
        Map<String, Long> partials = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return new LocalListing(entries, partials);
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = relative(root, dir);
                if (layout.isPartialDir(dir.getFileName().toString())) {
                    try (var files = Files.newDirectoryStream(dir)) {
                        for (Path f : files) {
                            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            if (a.isRegularFile()) {
                                partials.put(rel + "/" + f.getFileName(), a.size());
                            }
                        }
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!filter.includes(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.getParent().equals(root) && retention.isExpired(rel)) {
                    return FileVisitResult.SKIP_SUBTREE; // left to retention cleanup, never to --delete
                }
                entries.put(rel, entry(rel, dir, attrs));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = relative(root, file);
                if (NameRules.isStagingName(file.getFileName().toString()) && attrs.isRegularFile()) {
                    partials.put(rel, attrs.size());
                    return FileVisitResult.CONTINUE;
                }
                if (filter.includes(rel, attrs.isDirectory())) {
                    entries.put(rel, entry(rel, file, attrs));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new LocalListing(entries, partials);
    }

    private static LocalEntry entry(String rel, Path path, BasicFileAttributes attrs) throws IOException {
        EntryType type = attrs.isSymbolicLink() ? EntryType.SYMLINK : attrs.isDirectory() ? EntryType.DIRECTORY
                : attrs.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
        Optional<String> target = type == EntryType.SYMLINK ? Optional.of(Files.readSymbolicLink(path).toString()) : Optional.empty();
        return new LocalEntry(rel, type, attrs.size(), attrs.lastModifiedTime().toInstant().getEpochSecond(), target);
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }
}
