package io.quantsinfra.lake.plan;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The rules a remote name must pass before it may become a local path. A server may send any
 * bytes as a file name; only valid UTF-8 that makes a plain single path component is accepted.
 */
public final class NameRules {
    /** Suffix of our hidden temporary files; a remote name ending with it is refused. */
    public static final String TEMP_SUFFIX = ".lake-part";
    /** Why a remote name that is not valid UTF-8 is skipped. */
    public static final String NOT_TEXT = "name is not valid UTF-8; it cannot be stored under the same name here, skipped";
    /** Why a symlink whose target is not valid UTF-8 is skipped: a decoded target would lead elsewhere. */
    public static final String TARGET_NOT_TEXT = "symlink target is not valid UTF-8; it cannot be recreated as it is here, skipped";
    private static final int MAX_NAME_BYTES = 255;
    /** Characters of a name's hash that keep a shortened staging name unique. */
    private static final int HASH_CHARS = 16;

    private NameRules() {
    }

    /**
     * Where the bytes of {@code relative} are written before it is published, relative to the
     * profile directory: beside it under {@link #stagingName}, in the partial directory, or, with
     * {@code --inplace}, the final name itself.
     */
    public static String stagingRelative(String relative, boolean inplace, Optional<String> partialDir) {
        if (inplace) {
            return relative;
        }
        int slash = relative.lastIndexOf('/');
        String parent = relative.substring(0, slash + 1);
        String name = relative.substring(slash + 1);
        return parent + partialDir.map(d -> d + "/" + name).orElseGet(() -> stagingName(name));
    }

    /**
     * The hidden staging name of {@code name}: {@code .NAME.lake-part}, or, where that would not
     * fit in 255 bytes, the name cut short and a hash of the whole name, as rsync shortens its
     * temporary names.
     */
    public static String stagingName(String name) {
        String plain = "." + name + TEMP_SUFFIX;
        if (plain.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return plain;
        }
        String hash = "~" + hash(name);
        int room = MAX_NAME_BYTES - 1 - hash.length() - TEMP_SUFFIX.length();
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > room) {
                break;
            }
            kept.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return "." + kept + hash + TEMP_SUFFIX;
    }

    private static String hash(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Whether {@code name}, found in a local directory, is the configured {@code --partial-dir}. */
    public static boolean isPartialDir(String name, Optional<String> partialDir) {
        return partialDir.isPresent() && partialDir.get().equals(name);
    }

    /** Whether a name found in a local directory is one of our staging files' names. */
    public static boolean isStagingName(String name) {
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && name.length() > TEMP_SUFFIX.length() + 1;
    }

    /** Why {@code name} is refused, or empty when it is a safe single component. */
    public static Optional<String> problem(String name) {
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
        // a char takes at most 3 bytes in UTF-8: only a long name needs encoding to be measured
        if (name.length() > MAX_NAME_BYTES / 3 && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
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
    public static Optional<String> unstorable(String name) {
        boolean ascii = true;
        for (int i = 0; i < name.length() && ascii; i++) {
            ascii = name.charAt(i) < 0x80;
        }
        if (ascii) {
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
    public static Optional<String> pathProblem(String relative) {
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
    public static String printable(String name) {
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
