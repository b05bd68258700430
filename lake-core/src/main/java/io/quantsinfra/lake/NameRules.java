package io.quantsinfra.lake;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rules a remote name must pass before it may become a local path. A server may send any
 * bytes as a file name; only valid UTF-8 that makes a plain single path component is accepted.
 */
final class NameRules {
    /** Suffix of our hidden temporary files; a remote name ending with it is refused. */
    static final String TEMP_SUFFIX = ".lake-part";
    private static final int MAX_NAME_BYTES = 255;

    private NameRules() {
    }

    /** Why {@code name} is refused, or empty when it is a safe single component. */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("empty name");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("\"" + name + "\" is not a file name");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return Optional.of("name contains a path separator");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of(c == 0 ? "name contains NUL" : "name contains a control character (0x"
                        + Integer.toHexString(c) + ")");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return Optional.of("name is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (name.endsWith(TEMP_SUFFIX)) {
            return Optional.of("name ends with " + TEMP_SUFFIX + ", which is reserved for our temporary files");
        }
        return Optional.empty();
    }

    /**
     * Why the JVM cannot name a local file {@code name}, or empty when it can: under a C or POSIX
     * locale (cron, containers) it names files in ASCII, and the JDK refuses other characters.
     */
    static Optional<String> unstorable(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return Optional.empty(); // every platform encoding has ASCII: no need to ask the JDK
        }
        try {
            Path.of(name);
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.of("this JVM cannot name a local file so: it names files in "
                    + System.getProperty("sun.jnu.encoding", "its platform encoding")
                    + "; run it under a UTF-8 locale, e.g. LC_ALL=C.UTF-8 (bin/quants-infra does)");
        }
    }

    /**
     * Why a relative path read back from our own state (the checkpoint) is refused, or empty when
     * every component is a name {@link #problem} accepts: such a file can be edited by anyone, so
     * its paths are held to the rules of the server's names.
     */
    static Optional<String> pathProblem(String relative) {
        if (relative.isEmpty()) {
            return Optional.of("empty path");
        }
        for (String part : relative.split("/", -1)) {
            Optional<String> bad = problem(part);
            if (bad.isPresent()) {
                return Optional.of("component \"" + printable(part) + "\": " + bad.get());
            }
        }
        return Optional.empty();
    }

    /** A printable form of a hostile name for messages: control characters escaped. */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() > 120 ? sb.substring(0, 120) + "…" : sb.toString();
    }
}
