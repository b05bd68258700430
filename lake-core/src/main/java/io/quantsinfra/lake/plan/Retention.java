package io.quantsinfra.lake.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The retention window of a profile, the one rule set used by sync, cleanup and stats. A
 * directory directly under the profile directory is dated by its {@code _YYYYMMDD} suffix; it is
 * expired when that date is before the cutoff, today minus {@code retention_days}, with today
 * taken in the profile's time zone. A name without a valid date is never expired.
 */
public final class Retention {
    private static final Pattern SUFFIX = Pattern.compile("_(\\d{8})$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

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

    /** The date in a directory name's {@code _YYYYMMDD} suffix, if it has a valid one. */
    public static Optional<LocalDate> dateOf(String name) {
        Matcher m = SUFFIX.matcher(name);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(m.group(1), DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
