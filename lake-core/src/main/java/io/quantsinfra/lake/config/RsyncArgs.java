package io.quantsinfra.lake.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a profile's {@code rsync_args} string into {@link RsyncOptions}. The string is split
 * like a shell would (single and double quotes, backslash escapes) and never passed to any
 * program. Only the flags listed in {@link #SUPPORTED} are accepted; anything else is an error
 * that names the flag.
 */
public final class RsyncArgs {
    /** The flags this engine understands, as shown in error messages and the README. */
    public static final String SUPPORTED = "-a -r -l -t -p -g -o -D -z -v -q, --archive --recursive --links"
            + " --times --perms --compress --verbose --quiet --partial --partial-dir=DIR --inplace --fsync"
            + " --delete --delete-after --max-delete=N --bwlimit=RATE --timeout=SECONDS"
            + " --contimeout=SECONDS --exclude=PATTERN --include=PATTERN";

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);
    private static final long MIN_RATE = 512;

    private RsyncArgs() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with a message naming the offending flag or value
     */
    public static RsyncOptions parse(String args) {
        Flags f = new Flags();
        List<String> tokens = tokenize(args);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.startsWith("--")) {
                int eq = token.indexOf('=');
                String name = eq < 0 ? token.substring(2) : token.substring(2, eq);
                String value = eq < 0 ? null : token.substring(eq + 1);
                if (value == null && takesValue(name)) {
                    if (i + 1 >= tokens.size()) {
                        throw new IllegalArgumentException("--" + name + " needs a value, e.g. --" + name + "=" + example(name));
                    }
                    value = tokens.get(++i);
                }
                f.applyLong(name, value);
            } else if (token.startsWith("-") && token.length() > 1) {
                for (char c : token.substring(1).toCharArray()) {
                    f.applyShort(c);
                }
            } else {
                throw new IllegalArgumentException("unexpected argument \"" + token
                        + "\": rsync_args holds flags only; the source and destination come from the profile");
            }
        }
        return f.build();
    }

    private static boolean takesValue(String name) {
        return switch (name) {
            case "partial-dir", "max-delete", "bwlimit", "timeout", "contimeout", "exclude", "include" -> true;
            default -> false;
        };
    }

    private static String example(String name) {
        return switch (name) {
            case "partial-dir" -> ".rsync-partial";
            case "bwlimit" -> "10M";
            case "exclude", "include" -> "'*.tmp'";
            default -> "30";
        };
    }

    /** {@code token} escaped so that {@link #tokenize} reads it back as one token, unchanged. */
    static String quote(String token) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isWhitespace(c) || c == '\\' || c == '\'' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Splits like a POSIX shell: whitespace separates, quotes group, backslash escapes. */
    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Parses an rsync {@code --bwlimit} RATE into bytes per second; 0 means no limit. */
    static long parseRate(String value) {
        Matcher m = RATE.matcher(value.trim());
        if (!m.matches() || (m.group(3).equalsIgnoreCase("i"))) {
            throw new IllegalArgumentException("--bwlimit=" + value
                    + " is not a rate; use a number of KiB/s, or a suffix: 512K, 10M, 1.5G (1024-based), 10MB (1000-based)");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        boolean decimal = m.group(3).equalsIgnoreCase("b") && !unit.isEmpty();
        int power = switch (unit) {
            case "" -> m.group(3).equalsIgnoreCase("b") ? 0 : 1;
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            default -> 4;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(decimal ? 1000 : 1024).pow(power));
        long rate = bytes.longValue();
        if (rate != 0 && rate < MIN_RATE) {
            throw new IllegalArgumentException("--bwlimit=" + value + " is below the minimum of 512 bytes/s (use 0 for no limit)");
        }
        return rate;
    }

    private static long nonNegative(String flag, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + flag + "=" + value + " must be a whole number, 0 or more");
    }

    /** The mutable state of one parse; never escapes {@link #parse}. */
    private static final class Flags {
        boolean recursive;
        boolean times;
        boolean perms;
        boolean links;
        boolean compress;
        boolean partial;
        String partialDir;
        boolean inplace;
        boolean fsync;
        boolean delete;
        boolean deleteAfter;
        Integer maxDelete;
        long bwlimit;
        long timeout;
        long contimeout;
        final List<FilterRule> filters = new ArrayList<>();
        int verbose;
        boolean quiet;

        void applyShort(char c) {
            switch (c) {
                case 'a' -> {
                    recursive = true;
                    links = true;
                    times = true;
                    perms = true;
                }
                case 'r' -> recursive = true;
                case 'l' -> links = true;
                case 't' -> times = true;
                case 'p' -> perms = true;
                case 'g', 'o', 'D' -> {
                    // accepted for -a compatibility; owners, groups and devices are not mirrored
                }
                case 'z' -> compress = true;
                case 'v' -> verbose++;
                case 'q' -> quiet = true;
                default -> throw new IllegalArgumentException("unsupported flag \"-" + c + "\"; supported: " + SUPPORTED);
            }
        }

        void applyLong(String name, String value) {
            if (value != null && !takesValue(name)) {
                throw new IllegalArgumentException("--" + name + " takes no value (got \"--" + name + "=" + value + "\")");
            }
            switch (name) {
                case "archive" -> applyShort('a');
                case "recursive" -> applyShort('r');
                case "links" -> applyShort('l');
                case "times" -> applyShort('t');
                case "perms" -> applyShort('p');
                case "compress" -> applyShort('z');
                case "verbose" -> applyShort('v');
                case "quiet" -> applyShort('q');
                case "partial" -> partial = true;
                case "partial-dir" -> {
                    String dir = value.trim();
                    if (dir.isEmpty() || dir.startsWith("/") || List.of(dir.split("/")).contains("..")) {
                        throw new IllegalArgumentException("--partial-dir=" + value
                                + " must be a relative directory name without \"..\", e.g. .rsync-partial");
                    }
                    partialDir = dir;
                    partial = true;
                }
                case "inplace" -> inplace = true;
                case "fsync" -> fsync = true;
                case "delete" -> delete = true;
                case "delete-after" -> {
                    delete = true;
                    deleteAfter = true;
                }
                case "max-delete" -> {
                    long n = nonNegative(name, value);
                    if (n > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("--max-delete=" + value + " is too large");
                    }
                    maxDelete = (int) n;
                }
                case "bwlimit" -> bwlimit = parseRate(value);
                case "timeout" -> timeout = nonNegative(name, value);
                case "contimeout" -> contimeout = nonNegative(name, value);
                case "exclude" -> filters.add(new FilterRule(false, value));
                case "include" -> filters.add(new FilterRule(true, value));
                default -> throw new IllegalArgumentException("unsupported flag \"--" + name + "\"; supported: " + SUPPORTED);
            }
        }

        RsyncOptions build() {
            if (inplace && partialDir != null) {
                throw new IllegalArgumentException("--inplace cannot be combined with --partial-dir (rsync refuses it too): "
                        + "--inplace writes to the final name, so there is no partial file to keep elsewhere");
            }
            if (quiet && verbose > 0) {
                throw new IllegalArgumentException("-q and -v contradict each other; keep one");
            }
            if (partialDir != null) {
                // as rsync does, though first rather than last: a remote entry of that name would be
                // taken for partial data and fetched again on every run, whatever the user's rules
                filters.add(0, new FilterRule(false, partialDir + "/"));
            }
            return new RsyncOptions(recursive, times, perms, links, compress, partial, Optional.ofNullable(partialDir),
                    inplace, fsync, delete, deleteAfter,
                    maxDelete == null ? OptionalInt.empty() : OptionalInt.of(maxDelete),
                    bwlimit == 0 ? OptionalLong.empty() : OptionalLong.of(bwlimit),
                    timeout == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(timeout)),
                    contimeout == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(contimeout)),
                    PathFilter.of(filters), quiet ? -1 : verbose);
        }
    }
}
