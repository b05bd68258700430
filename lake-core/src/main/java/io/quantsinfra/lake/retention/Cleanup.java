package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the expired dated directories directly under a profile directory. Symlinks are never
 * followed or deleted through (a top-level symlink is left alone; links inside an expired
 * directory are deleted as links), names without a valid date are kept, and nothing outside
 * the profile directory is touched.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Finds (and unless {@code dryRun}, deletes) the expired directories under {@code root}. */
    public static CleanupReport run(String profile, Path root, Retention retention, boolean dryRun) {
        List<CleanupReport.Expired> expired = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        long freed = 0;
        if (retention.cutoff().isPresent() && Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> dirs = new ArrayList<>();
            try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
                top.forEach(dirs::add);
            } catch (IOException e) {
                errors.add(new PathError("", "cannot list " + root + ": " + e.getMessage()));
            }
            dirs.sort(Comparator.comparing(Path::getFileName));
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || NameRules.isStagingName(name)) {
                    continue;
                }
                Optional<LocalDate> date = Retention.dateOf(name);
                if (date.isEmpty()) {
                    unknown.add(name);
                } else if (retention.isExpired(name)) {
                    try {
                        long bytes = dryRun ? measure(dir) : delete(dir);
                        expired.add(new CleanupReport.Expired(name, date.get(), bytes));
                        freed += bytes;
                    } catch (IOException e) {
                        errors.add(new PathError(name, "cannot delete " + dir + ": " + e.getMessage()));
                    }
                }
            }
        }
        return new CleanupReport(profile, retention.days(), retention.cutoff(), expired, unknown, freed, dryRun, errors);
    }

    /** The bytes of the regular files under {@code dir}, links not followed. */
    public static long measure(Path dir) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    bytes[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }

    /** Deletes {@code dir} and everything in it, links as links; returns the bytes freed. */
    private static long delete(Path dir) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
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
