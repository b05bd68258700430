package io.quantsinfra.lake.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * How near a typed name is to the names that exist, for "did you mean" hints: shared by the
 * config reader (unknown keys) and the CLI (unknown commands).
 */
public final class Spelling {
    private Spelling() {
    }

    /** The candidate nearest to {@code typed}, if one is within {@code maxEdits} edits. */
    public static Optional<String> closest(String typed, Collection<String> candidates, int maxEdits) {
        return candidates.stream().filter(c -> distance(typed, c) <= maxEdits)
                .min(Comparator.comparingInt(c -> distance(typed, c)));
    }

    /** Levenshtein distance: the insertions, deletions and substitutions that make {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
