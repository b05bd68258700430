package io.quantsinfra.lake;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, counts and durations, the way the CLI and the library's messages show them. */
public final class Units {
    private static final String[] SIZE_UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private Units() {
    }

    /** {@code 1536} → {@code "1.5 KB"}; powers of 1024, one decimal from KB up. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < SIZE_UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, SIZE_UNITS[unit]);
    }

    /** {@code 1421} → {@code "1,421"}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 222 s} → {@code "3m 42s"}; {@code 4.2 s} → {@code "4.2s"}; hours and days when needed. */
    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    /** {@code 2 h} → {@code "2 hours ago"}; "just now" under a minute; "in the future" when negative. */
    public static String ago(Duration d) {
        if (d.isNegative()) {
            return "in the future";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return "just now";
        }
        long[] sizes = {86400, 3600, 60};
        String[] names = {"day", "hour", "minute"};
        for (int i = 0; i < sizes.length; i++) {
            long n = s / sizes[i];
            if (n > 0) {
                return n + " " + names[i] + (n == 1 ? "" : "s") + " ago";
            }
        }
        return "just now";
    }
}
