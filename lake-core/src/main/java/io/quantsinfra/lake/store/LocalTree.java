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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads the local tree under a profile directory without following symlinks: one directory for
 * the plan, the top-level directories and usage for retention, and whole expired directories
 * to delete.
 */
final class LocalTree {
    private LocalTree() {
    }

    /**
     * Lists the directory {@code relative} of the layout's root, sorted by path; a directory that is
     * missing, is not a directory or lies behind a symlink holds nothing. Our temporary files and partial directories are
     * not entries; their sizes are reported as partial bytes, by their own relative paths. Entries
     * the filter excludes are left out, so they are never deleted. Expired top-level directories
     * are left out too: cleanup removes them.
     *
     * @throws IOException when the directory cannot be read
     */
    static LocalListing list(LocalLayout layout, String relative, PathFilter filter, Retention retention) throws IOException {
        Optional<Path> found = realDirectory(layout.root(), relative);
        if (found.isEmpty()) {
            return LocalListing.empty();
        }
        Path dir = found.get();
        String prefix = relative.isEmpty() ? "" : relative + "/";
        List<LocalEntry> entries = new ArrayList<>();
        Map<String, Long> partials = new HashMap<>();
        for (DirectoryEntries.Entry child : DirectoryEntries.read(dir)) {
            String name = child.name();
            String rel = prefix.concat(name); // one allocation: "+" would build it in a growing StringBuilder
            boolean isDirectory = child.type() == EntryType.DIRECTORY;
            if (isDirectory && layout.isPartialDir(name)) {
                partialDirectory(dir.resolve(name), rel, partials);
            } else if (NameRules.isStagingName(name) && child.type() == EntryType.FILE) {
                partials.put(rel, child.size());
            } else if (filter.includes(rel, isDirectory) && !(isDirectory && relative.isEmpty() && retention.isExpired(name))) {
                entries.add(entry(rel, dir, child)); // an expired directory is left to retention cleanup, never to --delete
            }
        }
        entries.sort(Comparator.comparing(LocalEntry::path));
        return new LocalListing(entries, partials);
    }

    /** The directory {@code relative} under {@code root}, if each name on the way is a directory, not a link. */
    private static Optional<Path> realDirectory(Path root, String relative) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Path dir = root;
        for (String name : relative.isEmpty() ? new String[0] : relative.split("/")) {
            dir = dir.resolve(name);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
        }
        return Optional.of(dir);
    }

    /** The sizes of the files in a partial directory, by their relative paths. */
    private static void partialDirectory(Path dir, String rel, Map<String, Long> partials) throws IOException {
        for (DirectoryEntries.Entry f : DirectoryEntries.read(dir)) {
            if (f.type() == EntryType.FILE) {
                partials.put(rel + "/" + f.name(), f.size());
            }
        }
    }

    private static LocalEntry entry(String rel, Path dir, DirectoryEntries.Entry child) throws IOException {
        Optional<String> target = child.type() == EntryType.SYMLINK
                ? Optional.of(Files.readSymbolicLink(dir.resolve(child.name())).toString()) : Optional.empty();
        return new LocalEntry(rel, child.type(), child.size(), child.mtime(), target);
    }

    /** The real directories directly under the root, sorted; staging and partial directories left out. */
    static List<String> topDirectories(LocalLayout layout) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(layout.root(), LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        for (DirectoryEntries.Entry e : DirectoryEntries.read(layout.root())) {
            if (e.type() == EntryType.DIRECTORY && !NameRules.isStagingName(e.name()) && !layout.isPartialDir(e.name())) {
                names.add(e.name());
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** Hands each regular file under {@code relative} to {@code visitor}, staging files and partial directories left out. */
    static void eachFile(LocalLayout layout, String relative, Consumer<LakeStore.StoredFile> visitor) throws IOException {
        Optional<Path> found = realDirectory(layout.root(), relative);
        if (found.isPresent()) {
            eachFile(layout, found.get(), relative.isEmpty() ? "" : relative + "/", visitor);
        }
    }

    /** Walks {@code dir}, whose relative path is {@code prefix}, into its real directories only. */
    private static void eachFile(LocalLayout layout, Path dir, String prefix, Consumer<LakeStore.StoredFile> visitor)
            throws IOException {
        for (DirectoryEntries.Entry e : DirectoryEntries.read(dir)) {
            if (e.type() == EntryType.FILE && !NameRules.isStagingName(e.name())) {
                visitor.accept(new LakeStore.StoredFile(prefix + e.name(), e.size(), OptionalLong.of(e.mtime())));
            } else if (e.type() == EntryType.DIRECTORY && !layout.isPartialDir(e.name())) {
                eachFile(layout, dir.resolve(e.name()), prefix + e.name() + "/", visitor);
            }
        }
    }

    /** Deletes a real directory under the root and everything in it, links as links; returns the bytes freed. */
    static long deleteTree(LocalLayout layout, String relative) throws IOException {
        Optional<Path> found = realDirectory(layout.root(), relative);
        if (found.isEmpty() || relative.isEmpty()) {
            return 0;
        }
        long[] bytes = {0};
        Files.walkFileTree(found.get(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                if (attrs.isRegularFile()) {
                    bytes[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }
}
