package io.quantsinfra.lake.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides which paths a transfer covers, from the {@code --include}/{@code --exclude} rules of
 * {@code rsync_args}, with rsync's semantics (see "INCLUDE/EXCLUDE PATTERN RULES" in
 * {@code man rsync}). The rules are compiled once; a filter is immutable and safe to share
 * between threads.
 *
 * <p>Rules are checked in order and the first whose pattern matches decides; a path no rule
 * matches is included. Patterns:
 * <ul>
 *   <li>a leading {@code /} anchors the pattern to the transfer root; otherwise it matches the
 *       end of the path at a directory boundary ({@code b/c.txt} matches {@code a/b/c.txt}, not
 *       {@code ab/c.txt}); a pattern without {@code /} or {@code **} thus matches the final
 *       path component at any depth;</li>
 *   <li>a trailing {@code /} matches directories only;</li>
 *   <li>{@code *} matches any run of characters except {@code /}, {@code **} any run including
 *       {@code /}, {@code ?} one character except {@code /}, and {@code [...]} one character
 *       of a class, with ranges and a leading {@code !} or {@code ^} to negate (never
 *       {@code /}); a backslash makes the next character literal, as in rsync only in a
 *       pattern that has a wildcard;</li>
 *   <li>a leading {@code **}{@code /} also matches at the root ({@code **}{@code /x} matches
 *       {@code x}), but an inner one needs a directory ({@code a/**}{@code /z} does not match
 *       {@code a/z});</li>
 *   <li>{@code dir/***} matches the directory {@code dir} itself and everything below it.</li>
 * </ul>
 * POSIX classes such as {@code [[:digit:]]} are not supported and are rejected.
 *
 * <p>The filter judges one path at a time, never its parents. The caller walks the tree like
 * rsync does: an excluded directory is not descended into, so nothing below it is transferred
 * or deleted, whatever the rules say about its content (which is why
 * {@code --include='*.parquet' --exclude='*'} needs {@code --include='*}{@code /'} in front to
 * reach files in subdirectories); and an excluded file is not transferred, and is protected
 * from {@code --delete} on the destination.
 */
public final class PathFilter {
    /** A filter without rules: everything is included. */
    public static final PathFilter NONE = new PathFilter(List.of());

    private final List<Rule> rules;

    private PathFilter(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * Compiles {@code rules}, kept in the order given.
     *
     * @throws IllegalArgumentException if a pattern is malformed (an unterminated character
     *                                  class, a reversed range such as {@code [z-a]}, or a POSIX class), naming the rule
     */
    public static PathFilter of(List<FilterRule> rules) {
        return new PathFilter(rules.stream().map(Rule::compile).toList());
    }

    /** The rules, in the order given. */
    public List<FilterRule> rules() {
        return rules.stream().map(Rule::source).toList();
    }

    /** Returns {@code true} when there are no rules, so every path is included. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Tells whether the rules include a path.
     *
     * @param relativePath the path relative to the transfer root, {@code /}-separated, without
     *                     a leading {@code /}, not empty
     * @param isDirectory  whether the path is a directory
     * @return {@code true} if the deciding rule is an {@code --include} or no rule matches
     */
    public boolean includes(String relativePath, boolean isDirectory) {
        Rule rule = firstMatch(relativePath, isDirectory);
        return rule == null || rule.source.include();
    }

    /**
     * Returns the rule that decides a path, for messages that tell why it was skipped or kept;
     * empty when no rule matches (the path is then included). Arguments as in
     * {@link #includes}.
     */
    public Optional<FilterRule> decidingRule(String relativePath, boolean isDirectory) {
        Rule rule = firstMatch(relativePath, isDirectory);
        return rule == null ? Optional.empty() : Optional.of(rule.source);
    }

    private Rule firstMatch(String path, boolean isDirectory) {
        for (int i = 0; i < rules.size(); i++) { // no iterator: called for every path, and C1 would allocate one each time
            Rule rule = rules.get(i);
            if (rule.matches(path, isDirectory)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * One compiled rule.
     *
     * @param source       the rule as given
     * @param regex        matches the whole relative path
     * @param dirOnly      the pattern ended with {@code /}
     * @param dirAddsSlash the pattern ends with {@code ***}; rsync then matches a directory with
     *                     a {@code /} appended, which is how {@code dir/***} matches {@code dir}
     */
    private record Rule(FilterRule source, Pattern regex, boolean dirOnly, boolean dirAddsSlash) {
        /** Translates {@code source}'s pattern into a regex over the whole relative path. */
        static Rule compile(FilterRule source) {
            String glob = source.pattern();
            boolean dirOnly = glob.length() > 1 && glob.endsWith("/");
            if (dirOnly) {
                glob = glob.substring(0, glob.length() - 1);
            }
            boolean wild = glob.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
            int stars = 0;
            while (stars < glob.length() && glob.charAt(stars) == '*') {
                stars++;
            }
            String regex;
            if (glob.startsWith("/")) {
                regex = toRegex(glob.substring(1), wild, source);
            } else if (stars >= 2 && glob.startsWith("/", stars)) {
                // rsync matches "/" + path against a leading "**", so "**/" may also match nothing
                regex = "(?:.*/)?" + toRegex(glob.substring(stars + 1), wild, source);
            } else if (stars >= 2) {
                // the leading ".*" already reaches any depth
                regex = toRegex(glob, wild, source);
            } else {
                // unanchored: may start at any directory boundary
                regex = "(?:.*/)?" + toRegex(glob, wild, source);
            }
            try {
                return new Rule(source, Pattern.compile(regex, Pattern.DOTALL), dirOnly, glob.endsWith("***"));
            } catch (PatternSyntaxException e) {
                throw invalid(source, e.getDescription());
            }
        }

        /** Tells whether this rule's pattern matches the path. */
        boolean matches(String path, boolean isDirectory) {
            if (dirOnly && !isDirectory) {
                return false;
            }
            return regex.matcher(isDirectory && dirAddsSlash ? path + "/" : path).matches();
        }

        /** Translates a glob; without {@code wild} it is a literal, backslashes included. */
        private static String toRegex(String glob, boolean wild, FilterRule source) {
            if (!wild) {
                return Pattern.quote(glob);
            }
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (glob.startsWith("**", i)) {
                    while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                    re.append(".*");
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else if (c == '[') {
                    i = appendClass(glob, i, re, source);
                } else {
                    if (c == '\\' && i + 1 < glob.length()) {
                        c = glob.charAt(++i);
                    }
                    appendLiteral(c, re);
                }
            }
            return re.toString();
        }

        /** Appends the class that opens at index {@code open}; returns the index of its {@code ]}. */
        private static int appendClass(String glob, int open, StringBuilder re, FilterRule source) {
            int i = open + 1;
            boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
            if (negated) {
                i++;
            }
            int first = i;
            StringBuilder set = new StringBuilder();
            boolean rangeAllowed = false;
            while (true) {
                if (i >= glob.length()) {
                    throw invalid(source, "unterminated character class [");
                }
                char c = glob.charAt(i);
                if (c == ']' && i > first) {
                    break;
                }
                if (glob.startsWith("[:", i)) {
                    throw invalid(source, "POSIX classes like [:digit:] are not supported; use a range like [0-9]");
                }
                // as in rsync, "-" is literal first, last, or right after a range
                boolean range = c == '-' && rangeAllowed && i + 1 < glob.length() && glob.charAt(i + 1) != ']';
                if (range) {
                    set.append('-');
                    c = glob.charAt(++i);
                }
                if (c == '\\' && i + 1 < glob.length()) {
                    c = glob.charAt(++i);
                }
                appendLiteral(c, set);
                rangeAllowed = !range;
                i++;
            }
            re.append(negated ? "[^/" + set + "]" : "[" + set + "&&[^/]]");
            return i;
        }

        private static void appendLiteral(char c, StringBuilder re) {
            if (c < 128 && !Character.isLetterOrDigit(c)) {
                re.append('\\');
            }
            re.append(c);
        }

        private static IllegalArgumentException invalid(FilterRule source, String why) {
            return new IllegalArgumentException("invalid pattern in " + source + ": " + why);
        }
    }
}
