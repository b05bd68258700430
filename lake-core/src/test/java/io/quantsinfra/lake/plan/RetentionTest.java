package io.quantsinfra.lake.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionTest {
    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void seedExample_cutoffIsTodayMinusRetention() {
        Retention r = new Retention(30, ZoneOffset.UTC, at("2024-11-28T14:30:45Z"));
        assertEquals(Optional.of(LocalDate.of(2024, 10, 29)), r.cutoff());
        assertTrue(r.isExpired("gate_io_VIRTUAL-USDT_20241028"));
        assertFalse(r.isExpired("gate_io_VIRTUAL-USDT_20241029"));
        assertFalse(r.isExpired("gate_io_VIRTUAL-USDT_20241128"));
    }

    @ParameterizedTest(name = "{0} at {1} -> expired {2}")
    @CsvSource({
            "x_20241028, 2024-11-28T00:00:00Z, true",
            "x_20241028, 2024-11-27T23:59:59Z, false",
            "x_20241029, 2024-11-28T23:59:59Z, false",
            "x_20240228, 2024-03-30T12:00:00Z, true",   // 2024 is a leap year: cutoff 2024-02-29
            "x_20240229, 2024-03-30T12:00:00Z, false",
            "x_20240229, 2024-03-31T12:00:00Z, true",
    })
    void boundaryDays(String name, String now, boolean expired) {
        assertEquals(expired, new Retention(30, ZoneOffset.UTC, at(now)).isExpired(name));
    }

    @Test
    void leapDay_isAValidDate_andAnImpossibleDateIsUnknown() {
        assertEquals(Optional.of(LocalDate.of(2024, 2, 29)), Retention.dateOf("a_20240229"));
        assertEquals(Optional.empty(), Retention.dateOf("a_20230229"));
        assertEquals(Optional.empty(), Retention.dateOf("a_20240230"));
        assertEquals(Optional.empty(), Retention.dateOf("a_20241301"));
        assertEquals(Optional.empty(), Retention.dateOf("no_date"));
        assertEquals(Optional.empty(), Retention.dateOf("a_2024112"));
        assertEquals(Optional.empty(), Retention.dateOf("a20241128"));
        assertFalse(new Retention(1, ZoneOffset.UTC, at("2030-01-01T00:00:00Z")).isExpired("a_20240230"));
    }

    @Test
    void timezone_whereTheLocalDateDiffersFromUtc() {
        // 2024-11-28T20:00Z is already 2024-11-29 in Shanghai (UTC+8).
        Clock clock = at("2024-11-28T20:00:00Z");
        Retention utc = new Retention(30, ZoneOffset.UTC, clock);
        Retention shanghai = new Retention(30, ZoneId.of("Asia/Shanghai"), clock);
        assertEquals(Optional.of(LocalDate.of(2024, 10, 29)), utc.cutoff());
        assertEquals(Optional.of(LocalDate.of(2024, 10, 30)), shanghai.cutoff());
        assertFalse(utc.isExpired("x_20241029"));
        assertTrue(shanghai.isExpired("x_20241029"));
    }

    @Test
    void zeroDays_keepsEverythingForever() {
        Retention forever = new Retention(0, ZoneOffset.UTC, at("2024-11-28T00:00:00Z"));
        assertEquals(Optional.empty(), forever.cutoff());
        assertFalse(forever.isExpired("x_19700101"));
    }

    /** The hand-read date agrees with a strict {@code uuuuMMdd} parse of the {@code _\\d{8}} suffix. */
    @Test
    void dateOf_agreesWithAStrictDateParser_onEveryDayOfSomeYears_andOnNonsense() {
        java.time.format.DateTimeFormatter strict = java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd")
                .withResolverStyle(java.time.format.ResolverStyle.STRICT);
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("_20241128", "x_00000101",
                "x_99991231", "x_2024112a", "x_ 2024112", "x__20241128", "x_20241128_", "x-20241128", "x_20241128x"));
        for (int year : new int[] {1900, 2000, 2023, 2024}) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    names.add(String.format("gate_io_BTC-USDT_%04d%02d%02d", year, month, day));
                }
            }
        }
        for (String name : names) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("_(\\d{8})$").matcher(name);
            Optional<LocalDate> expected = Optional.empty();
            if (m.find()) {
                try {
                    expected = Optional.of(LocalDate.parse(m.group(1), strict));
                } catch (java.time.format.DateTimeParseException e) {
                    expected = Optional.empty();
                }
            }
            assertEquals(expected, Retention.dateOf(name), name);
        }
    }
}
