package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathFilterTest {

    /**
     * Columns: the rules in order ({@code +PATTERN} includes, {@code -PATTERN} excludes, separated
     * by spaces), the path, whether it is a directory, whether it is included, and the deciding
     * rule (empty when none matches).
     */
    @ParameterizedTest(name = "[{index}] {0} : {1} dir={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // a pattern without "/" matches the last component at any depth
            "-*.tmp                 | x.tmp                         | false | false | -*.tmp",
            "-*.tmp                 | a/b/x.tmp                     | false | false | -*.tmp",
            "-*.tmp                 | a.tmp                         | true  | false | -*.tmp",
            "-*.tmp                 | a/x.tmp.gz                    | false | true  |",
            "-*.tmp                 | a.tmp/x                       | false | true  |",
            // a leading "/" anchors to the transfer root
            "-/top.txt              | top.txt                       | false | false | -/top.txt",
            "-/top.txt              | a/top.txt                     | false | true  |",
            "-/a/*.txt              | a/x.txt                       | false | false | -/a/*.txt",
            "-/a/*.txt              | b/a/x.txt                     | false | true  |",
            // a trailing "/" matches directories only
            "-cache/                | a/cache                       | true  | false | -cache/",
            "-cache/                | cache                         | true  | false | -cache/",
            "-cache/                | a/cache                       | false | true  |",
            // a pattern with "/" matches the end of the path at a directory boundary
            "-b/c.txt               | a/b/c.txt                     | false | false | -b/c.txt",
            "-b/c.txt               | b/c.txt                       | false | false | -b/c.txt",
            "-b/c.txt               | ab/c.txt                      | false | true  |",
            "-b/*.txt               | b/x/c.txt                     | false | true  |",
            // "**" crosses "/"; "*" does not
            "-a/**/z                | a/b/z                         | false | false | -a/**/z",
            "-a/**/z                | a/b/c/z                       | false | false | -a/**/z",
            "-a/**/z                | x/a/b/z                       | false | false | -a/**/z",
            "-a/**/z                | a/z                           | false | true  |",
            "-/a/**/z               | x/a/b/z                       | false | true  |",
            "-a/*/z                 | a/b/c/z                       | false | true  |",
            "-**/x                  | x                             | false | false | -**/x",
            "-**/x                  | a/b/x                         | false | false | -**/x",
            "-**/x                  | a/bx                          | false | true  |",
            "-**.tmp                | a/b.tmp                       | false | false | -**.tmp",
            "-a/**                  | a/b/c                         | false | false | -a/**",
            "-a/**                  | a                             | true  | true  |",
            // "?" is one character other than "/"
            "-file?.csv             | d/file1.csv                   | false | false | -file?.csv",
            "-file?.csv             | d/file12.csv                  | false | true  |",
            "-/a?b                  | a/b                           | false | true  |",
            // character classes
            "-part_[0-9][0-9].pq    | d/part_07.pq                  | false | false | -part_[0-9][0-9].pq",
            "-part_[0-9][0-9].pq    | d/part_7x.pq                  | false | true  |",
            "-[a-c]*.csv            | b1.csv                        | false | false | -[a-c]*.csv",
            "-[a-c]*.csv            | d1.csv                        | false | true  |",
            "-[!a]*.csv             | b.csv                         | false | false | -[!a]*.csv",
            "-[!a]*.csv             | a.csv                         | false | true  |",
            "-[^a]*.csv             | b.csv                         | false | false | -[^a]*.csv",
            "-[^a]*.csv             | a.csv                         | false | true  |",
            "-/x[!a]y               | x/y                           | false | true  |",
            "-[]]x                  | ]x                            | false | false | -[]]x",
            "-[a-]                  | -                             | false | false | -[a-]",
            // a backslash escapes a wildcard; in a pattern without wildcards it is literal
            "-\\*.txt               | *.txt                         | false | false | -\\*.txt",
            "-\\*.txt               | a.txt                         | false | true  |",
            "-a\\b                  | a\\b                          | false | false | -a\\b",
            // "dir/***" matches the directory itself and everything below it; "dir/**" only the content
            "-/logs/***             | logs                          | true  | false | -/logs/***",
            "-/logs/***             | logs/a/b.txt                  | false | false | -/logs/***",
            "-/logs/***             | logs                          | false | true  |",
            "-/logs/***             | logsx                         | true  | true  |",
            "-/logs/***             | a/logs                        | true  | true  |",
            "-logs/***              | a/logs                        | true  | false | -logs/***",
            "-logs/**               | logs                          | true  | true  |",
            "-logs/**               | logs/x                        | false | false | -logs/**",
            // the first matching rule decides
            "+keep.tmp -*.tmp       | a/keep.tmp                    | false | true  | +keep.tmp",
            "+keep.tmp -*.tmp       | a/x.tmp                       | false | false | -*.tmp",
            "-*.tmp +keep.tmp       | a/keep.tmp                    | false | false | -*.tmp",
            // the usual "only these files" idiom
            "+*/ +*.parquet -*      | gate_io_BTC_20241028          | true  | true  | +*/",
            "+*/ +*.parquet -*      | gate_io_BTC_20241028/p.parquet | false | true | +*.parquet",
            "+*/ +*.parquet -*      | gate_io_BTC_20241028/p.csv    | false | false | -*",
            "+*/ +*.parquet -*      | README                        | false | false | -*",
            // no rules include everything
            "                       | a/b/c.tmp                     | false | true  |",
            "                       | a                             | true  | true  |",
    })
    void rules(String rules, String path, boolean isDirectory, boolean included, String deciding) {
        PathFilter filter = PathFilter.of(parse(rules));
        assertEquals(included, filter.includes(path, isDirectory));
        assertEquals(Optional.ofNullable(deciding).map(PathFilterTest::rule), filter.decidingRule(path, isDirectory));
    }

    @Test
    void isEmptyOnlyWithoutRules() {
        assertTrue(PathFilter.of(List.of()).isEmpty());
        assertFalse(PathFilter.of(parse("-*.tmp")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"part[0-9", "x[", "[[:digit:]]", "[z-a]"})
    void malformedPatternsAreRejectedWithTheRule(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of(new FilterRule(false, pattern))));
        assertTrue(e.getMessage().contains("--exclude=" + pattern), e.getMessage());
    }

    private static List<FilterRule> parse(String rules) {
        return rules == null ? List.of() : Arrays.stream(rules.trim().split("\\s+")).map(PathFilterTest::rule).toList();
    }

    private static FilterRule rule(String token) {
        return new FilterRule(token.charAt(0) == '+', token.substring(1));
    }
}
