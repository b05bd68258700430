package io.quantsinfra.lake.sshconfig;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The files an {@code Include} names, as ssh finds them: {@code ~} is the home directory, a
 * relative name starts in {@code ~/.ssh}, and {@code *}, {@code ?} and {@code [...]} in any part
 * match the existing names, which are read in order of their names; {@code *} does not match
 * a leading dot. A name that matches nothing is skipped.
 */
final class IncludedFiles {
    private IncludedFiles() {
    }

    static List<Path> matching(String pattern, Path home) {
        String p = pattern;
        Path start;
        if (p.equals("~") || p.startsWith("~/")) {
            start = home;
            p = p.length() > 2 ? p.substring(2) : "";
        } else if (p.startsWith("/")) {
            start = Path.of("/");
            p = p.substring(1);
        } else {
            start = home.resolve(".ssh");
        }
        List<Path> found = new ArrayList<>(List.of(start));
        for (String part : p.split("/+")) {
            if (part.isEmpty()) {
                continue;
            }
            List<Path> next = new ArrayList<>();
            for (Path dir : found) {
                if (isGlob(part)) {
                    next.addAll(entries(dir, part));
                } else {
                    next.add(dir.resolve(part));
                }
            }
            found = next;
        }
        return found.stream().filter(Files::isRegularFile).toList();
    }

    private static boolean isGlob(String part) {
        return part.indexOf('*') >= 0 || part.indexOf('?') >= 0 || part.indexOf('[') >= 0;
    }

    private static List<Path> entries(Path dir, String part) {
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + part);
        } catch (PatternSyntaxException e) {
            return List.of(dir.resolve(part)); // glob(3) takes what is not a pattern, such as "[a", literally
        }
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (matcher.matches(e.getFileName()) && (!name.startsWith(".") || part.startsWith("."))) {
                    out.add(e);
                }
            }
        } catch (IOException e) {
            return out; // an unreadable directory matches nothing, as for glob(3)
        }
        out.sort(null);
        return out;
    }
}
