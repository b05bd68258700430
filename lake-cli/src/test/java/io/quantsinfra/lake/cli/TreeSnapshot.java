package io.quantsinfra.lake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every entry of a tree with what can change about it: type, size, mtime (full precision), content hash. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    /**
     * The state of {@code root} and everything below it, without following links; two snapshots are
     * equal when nothing was created, deleted, written or touched. A missing root gives an empty map.
     */
    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = root.relativize(p).toString();
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String mtime = a.lastModifiedTime().toInstant().toString();
                if (a.isSymbolicLink()) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p) + " " + mtime);
                } else if (a.isDirectory()) {
                    out.put(rel.isEmpty() ? "." : rel, "dir " + mtime);
                } else {
                    out.put(rel, "file " + a.size() + " " + mtime + " " + sha256(p));
                }
            }
        }
        return out;
    }

    /** The regular files below {@code root} with size, whole-second mtime and hash; for comparing mirrors. */
    static Map<String, String> files(Path root) throws IOException {
        return regularFiles(root, true);
    }

    /** The regular files below {@code root} with size and hash; for copies that keep no mtime, such as objects. */
    static Map<String, String> contents(Path root) throws IOException {
        return regularFiles(root, false);
    }

    private static Map<String, String> regularFiles(Path root, boolean mtimes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), Files.size(p) + " "
                            + (mtimes ? Files.getLastModifiedTime(p).toInstant().getEpochSecond() + " " : "") + sha256(p));
                }
            }
        }
        return out;
    }

    static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
