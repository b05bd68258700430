package io.quantsinfra.lake.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The retention window of a profile, the one rule set used by sync, cleanup and stats. A
 * directory directly under the profile directory is dated by its {@code _YYYYMMDD} suffix; it is
 * expired when that date is before the cutoff, today minus {@code retention_days}, with today
 * taken in the profile's time zone. A name without a valid date is never expired.
 */
public final class Retention {
    /** {@code _YYYYMMDD}. */
    private static final int SUFFIX_LENGTH = 9;

    private final int days;
    private final Optional<LocalDate> cutoff;

    /**
     * @param retentionDays days kept; 0 keeps everything forever
     * @param zone          the time zone "today" is taken in
     * @param clock         the time source
     */
    public Retention(int retentionDays, ZoneId zone, Clock clock) {
        this.days = retentionDays;
        this.cutoff = retentionDays == 0 ? Optional.empty()
                : Optional.of(LocalDate.now(clock.withZone(zone)).minusDays(retentionDays));
    }

    /** The configured number of days; 0 means forever. */
    public int days() {
        return days;
    }

    /** The first date kept; empty when data is kept forever. */
    public Optional<LocalDate> cutoff() {
        return cutoff;
    }

    /**
     * The date in a directory name's {@code _YYYYMMDD} suffix, if it has a valid one. Read by
     * hand: planning, cleanup and stats ask it of every top-level directory, and a date parser's
     * first thousand calls, interpreted, cost more than the listing around them.
     */
    public static Optional<LocalDate> dateOf(String name) {
        int start = name.length() - SUFFIX_LENGTH;
        if (start < 0 || name.charAt(start) != '_') {
            return Optional.empty();
        }
        int[] digits = new int[SUFFIX_LENGTH - 1];
        for (int i = 0; i < digits.length; i++) {
            char c = name.charAt(start + 1 + i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            digits[i] = c - '0';
        }
        int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
        int month = digits[4] * 10 + digits[5];
        int day = digits[6] * 10 + digits[7];
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Optional.empty();
        }
        return Optional.of(LocalDate.of(year, month, day));
    }

    /**
     * The first day on which a directory dated {@code date} is expired, and cleanup deletes it;
     * empty when data is kept forever.
     */
    public Optional<LocalDate> expiresOn(LocalDate date) {
        return cutoff.isEmpty() ? Optional.empty() : Optional.of(date.plusDays(days + 1L));
    }

    /** Whether a top-level directory called {@code name} is past the window. */
    public boolean isExpired(String name) {
        if (cutoff.isEmpty()) {
            return false;
        }
        return dateOf(name).map(d -> d.isBefore(cutoff.get())).orElse(false);
    }
}
