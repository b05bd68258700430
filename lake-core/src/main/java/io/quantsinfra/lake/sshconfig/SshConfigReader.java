package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.LakeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ssh_config file for one host as ssh does. Lines before the first {@code Host} apply to
 * every host; a {@code Host} line starts a block that applies when its patterns match the host
 * as the profile names it ({@link HostPatterns}); for each key the first value read in an
 * applying block wins, except {@code IdentityFile}, which adds up. {@code Include} reads other
 * files in place (relative names start in {@code ~/.ssh}, {@code *} and {@code ?} may match
 * several, read in name order); what it reads inside a block that does not apply never applies.
 * {@code Match} blocks are not supported: {@code Match all} applies like {@code Host *}, any other
 * is skipped with a warning. Values of the keys lake-core honours are checked even in blocks
 * that do not apply, as ssh checks them, so a bad line is reported wherever it stands.
 */
final class SshConfigReader {
    /** As deep as ssh follows Include. */
    static final int MAX_INCLUDE_DEPTH = 16;
    /** Larger files are refused: an ssh_config is a few KiB. */
    static final long MAX_BYTES = 1 << 20;

    private final String host;
    private final Path home;
    private final Map<Keyword, Found<Object>> first = new EnumMap<>(Keyword.class);
    private final List<Found<String>> identityFiles = new ArrayList<>();
    private final Set<String> identityFileNames = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean active = true;

    private SshConfigReader(String host, Path home) {
        this.host = host;
        this.home = home;
    }

    /**
     * What {@code file} says for {@code host}.
     *
     * @param home the home directory: {@code ~} and relative Include names start there
     * @throws LakeException of kind {@code CONFIG} naming the {@code file:line} of a bad line, or
     *                       the file that cannot be read
     */
    static HostConfig read(Path file, String host, Path home) {
        SshConfigReader reader = new SshConfigReader(host, home);
        List<String> lines;
        try {
            lines = load(file);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.CONFIG, file.toString(), "cannot read the ssh_config file " + file
                    + ": " + e.getMessage(), "make it readable, or set source.ssh_config to another file, or none");
        }
        reader.read(file, lines, false, 0);
        return new HostConfig(reader.first, reader.identityFiles, reader.warnings);
    }

    private void read(Path file, List<String> lines, boolean neverMatch, int depth) {
        for (int i = 0; i < lines.size(); i++) {
            SshConfigLine.parse(lines.get(i), file, i + 1).ifPresent(line -> apply(line, neverMatch, depth));
        }
    }

    private void apply(SshConfigLine line, boolean neverMatch, int depth) {
        switch (line.keyword()) {
            case "host" -> active = !neverMatch && HostPatterns.apply(patterns(line), host);
            case "match" -> active = !neverMatch && matchAll(line);
            case "include" -> include(line, neverMatch, depth);
            default -> Keyword.of(line.keyword()).ifPresent(k -> set(k, line));
        }
    }

    private static List<String> patterns(SshConfigLine line) {
        List<String> patterns = line.args();
        if (patterns.contains("") || patterns.contains("!")) {
            throw line.error("Host has an empty pattern", "remove the empty quotes");
        }
        return patterns;
    }

    /** {@code Match all} applies everywhere; other criteria are not evaluated, so their block never applies. */
    private boolean matchAll(SshConfigLine line) {
        List<String> criteria = line.args();
        if (criteria.size() == 1 && criteria.get(0).toLowerCase(Locale.ROOT).equals("all")) {
            return true;
        }
        warnings.add(line.file() + ":" + line.number() + ": Match blocks are not supported; the lines after \"Match "
                + String.join(" ", criteria) + "\", up to the next Host or Match, are ignored (write them under a Host"
                + " line, or in the profile)");
        return false;
    }

    private void set(Keyword keyword, SshConfigLine line) {
        Object value = keyword.parse(line);
        if (!active) {
            return;
        }
        Found<Object> found = new Found<>(value, line.origin());
        if (keyword == Keyword.IDENTITYFILE) {
            if (identityFileNames.add((String) value)) {
                identityFiles.add(new Found<>((String) value, line.origin()));
            }
        } else if (keyword == Keyword.PROXYJUMP || keyword == Keyword.PROXYCOMMAND) {
            if (!first.containsKey(Keyword.PROXYJUMP) && !first.containsKey(Keyword.PROXYCOMMAND)) {
                first.put(keyword, found);
            }
        } else {
            first.putIfAbsent(keyword, found);
        }
    }

    private void include(SshConfigLine line, boolean neverMatch, int depth) {
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw line.error("Include is nested more than " + MAX_INCLUDE_DEPTH + " files deep",
                    "check that no file includes itself");
        }
        boolean wasActive = active;
        for (String pattern : line.args()) {
            if (pattern.isEmpty()) {
                throw line.error("Include has an empty file name", "remove the empty quotes");
            }
            List<Path> files;
            try {
                files = IncludedFiles.matching(pattern, home);
            } catch (InvalidPathException e) {
                throw line.error("Include cannot use \"" + pattern + "\": " + e.getMessage(), "fix the file name");
            }
            for (Path file : files) {
                List<String> lines;
                try {
                    lines = load(file);
                } catch (NoSuchFileException e) {
                    continue; // ssh skips a file that vanished, as one that never matched
                } catch (IOException e) {
                    throw line.error("cannot read the included file " + file + ": " + e.getMessage(),
                            "make it readable, or remove the Include");
                }
                read(file, lines, neverMatch || !wasActive, depth + 1);
                active = wasActive; // a Host in the included file does not change the including block
            }
        }
    }

    /** The file's lines; bytes that are not UTF-8 become U+FFFD, as ssh reads bytes and only keywords must be ASCII. */
    private static List<String> load(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES / 1024 + " KiB");
        }
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
        return text.lines().toList();
    }
}
