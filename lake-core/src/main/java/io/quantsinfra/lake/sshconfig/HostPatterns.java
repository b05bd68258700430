package io.quantsinfra.lake.sshconfig;

import java.util.List;

/**
 * The patterns of a {@code Host} line, matched as ssh matches them: {@code *} stands for any
 * characters, {@code ?} for one, and case counts. A line applies when one of its patterns
 * matches the host, unless a pattern negated with {@code !} matches it too.
 */
final class HostPatterns {
    private HostPatterns() {
    }

    /** Whether a {@code Host} line with {@code patterns} applies to {@code host}. */
    static boolean apply(List<String> patterns, String host) {
        boolean matched = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            if (glob(negated ? p.substring(1) : p, host)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** Whether {@code pattern} matches all of {@code text}. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
