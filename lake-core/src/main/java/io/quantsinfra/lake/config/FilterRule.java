package io.quantsinfra.lake.config;

import java.util.Objects;

/**
 * One {@code --include} or {@code --exclude} rule, in the order it was given. As in rsync, the
 * first rule whose pattern matches a path decides whether it is included.
 *
 * @param include {@code true} for {@code --include}, {@code false} for {@code --exclude}
 * @param pattern the rsync-style glob as written
 */
public record FilterRule(boolean include, String pattern) {
    /** Checks that the pattern is not blank. */
    public FilterRule {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("an --include/--exclude pattern must not be empty");
        }
    }

    @Override
    public String toString() {
        return (include ? "--include=" : "--exclude=") + pattern;
    }
}
