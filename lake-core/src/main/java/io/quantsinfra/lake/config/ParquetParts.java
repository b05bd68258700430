package io.quantsinfra.lake.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which of a profile's files are Parquet parts, published only once they are structurally
 * complete, and how long one may stay held back, unchanged, before a run warns about it.
 * Patterns are rsync-style globs as in {@code --include}: one without a {@code /} matches a
 * file's name at any depth.
 */
public final class ParquetParts {
    /** The patterns when none are configured. */
    public static final List<String> DEFAULT_PATTERNS = List.of("*.parquet");
    /** How long a part may stay held back, unchanged, before a run warns, when not configured. */
    public static final Duration DEFAULT_WARN_AFTER = Duration.ofHours(24);
    /** A pattern that is {@code *} and a name ending free of wildcards and slashes, e.g. {@code *.parquet}. */
    private static final Pattern PLAIN_ENDING = Pattern.compile("\\*[^*?\\[\\]/\\\\]+");
    /** No file is checked: every file is published as it is copied. */
    public static final ParquetParts NONE = new ParquetParts(List.of(), DEFAULT_WARN_AFTER);

    private final List<String> patterns;
    private final Duration warnAfter;
    private final PathFilter matcher;
    /**
     * The name endings, when every pattern is a plain {@code *.ext}: the usual case is then an
     * {@code endsWith}, not a regular expression per file of a lake of millions.
     */
    private final List<String> endings;

    /**
     * @param patterns  the globs that name Parquet parts; empty turns the check off
     * @param warnAfter how long a part may stay held back unchanged before a warning names it;
     *                  zero never warns
     * @throws IllegalArgumentException for a blank or malformed pattern, or a negative duration
     */
    public ParquetParts(List<String> patterns, Duration warnAfter) {
        this.patterns = List.copyOf(patterns);
        this.warnAfter = Objects.requireNonNull(warnAfter, "warnAfter");
        if (warnAfter.isNegative()) {
            throw new IllegalArgumentException("the held-back warning's delay must not be negative: " + warnAfter);
        }
        this.matcher = PathFilter.of(this.patterns.stream().map(p -> new FilterRule(true, p)).toList());
        this.endings = this.patterns.stream().allMatch(p -> PLAIN_ENDING.matcher(p).matches())
                ? this.patterns.stream().map(p -> p.substring(1)).toList() : null;
    }

    /** The globs that name Parquet parts. */
    public List<String> patterns() {
        return patterns;
    }

    /** How long a part may stay held back unchanged before a warning; zero never warns. */
    public Duration warnAfter() {
        return warnAfter;
    }

    /** Whether the file at {@code relativePath} ({@code /}-separated) is a Parquet part to check. */
    public boolean covers(String relativePath) {
        if (endings != null) {
            for (String ending : endings) {
                if (relativePath.endsWith(ending)) {
                    return true;
                }
            }
            return false;
        }
        return matcher.decidingRule(relativePath, false).isPresent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParquetParts p && p.patterns.equals(patterns) && p.warnAfter.equals(warnAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(patterns, warnAfter);
    }

    @Override
    public String toString() {
        return "ParquetParts" + patterns + " warn after " + warnAfter;
    }
}
