package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RsyncArgsTest {

    /** Columns: args, then the expected recursive, times, perms, links, compress, partial, inplace, delete, deleteAfter, verbosity. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "-az --partial --inplace          | true  | true  | true  | true  | true  | true  | true  | false | false | 0",
            "-az --partial --inplace --delete | true  | true  | true  | true  | true  | true  | true  | true  | false | 0",
            "-a                               | true  | true  | true  | true  | false | false | false | false | false | 0",
            "-r -t                            | true  | true  | false | false | false | false | false | false | false | 0",
            "-rtp                             | true  | true  | true  | false | false | false | false | false | false | 0",
            "-avvz                            | true  | true  | true  | true  | true  | false | false | false | false | 2",
            "-rq                              | true  | false | false | false | false | false | false | false | false | -1",
            "--archive --compress --partial   | true  | true  | true  | true  | true  | true  | false | false | false | 0",
            "-a --delete-after                | true  | true  | true  | true  | false | false | false | true  | true  | 0",
            "-a --partial-dir=.part           | true  | true  | true  | true  | false | true  | false | false | false | 0",
            "-a -g -o -D -l                   | true  | true  | true  | true  | false | false | false | false | false | 0",
            "''                               | false | false | false | false | false | false | false | false | false | 0",
    })
    void flags(String args, boolean recursive, boolean times, boolean perms, boolean links, boolean compress,
               boolean partial, boolean inplace, boolean delete, boolean deleteAfter, int verbosity) {
        RsyncOptions o = RsyncArgs.parse(args);
        assertEquals(List.of(recursive, times, perms, links, compress, partial, inplace, delete, deleteAfter, verbosity),
                List.of(o.recursive(), o.preserveTimes(), o.preservePermissions(), o.symlinks(), o.compress(),
                        o.partial(), o.inplace(), o.delete(), o.deleteAfter(), o.verbosity()));
    }

    @Test
    void fsyncIsOffUnlessAsked() {
        assertTrue(RsyncArgs.parse("-a --partial --fsync").fsync());
        assertEquals(false, RsyncArgs.parse("-a --partial").fsync());
        assertThrows(IllegalArgumentException.class, () -> RsyncArgs.parse("-a --fsync=yes"));
    }

    @Test
    void valuedFlags() {
        RsyncOptions o = RsyncArgs.parse("-a --max-delete=5 --bwlimit=10M --timeout=30 --contimeout 7"
                + " --partial-dir=.rsync-partial --exclude='*.tmp' --include \"keep me/**\" --exclude=*");
        assertEquals(OptionalInt.of(5), o.maxDelete());
        assertEquals(OptionalLong.of(10L * 1024 * 1024), o.bandwidthLimit());
        assertEquals(Optional.of(Duration.ofSeconds(30)), o.ioTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(7)), o.connectTimeout());
        assertEquals(Optional.of(".rsync-partial"), o.partialDir());
        assertTrue(o.partial());
        assertEquals(List.of(new FilterRule(false, ".rsync-partial/"), new FilterRule(false, "*.tmp"),
                new FilterRule(true, "keep me/**"), new FilterRule(false, "*")), o.filter().rules(),
                "the partial directory is excluded first, so no remote name can collide with it");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "100, 102400",
            "1.5K, 1536",
            "10M, 10485760",
            "10MB, 10000000",
            "10MiB, 10485760",
            "1g, 1073741824",
            "2048b, 2048",
            "0, 0",
    })
    void bwlimitRates(String rate, long bytesPerSecond) {
        assertEquals(bytesPerSecond, RsyncArgs.parseRate(rate));
    }

    @Test
    void zeroTimeoutsAndLimits_meanNone() {
        RsyncOptions o = RsyncArgs.parse("-a --timeout=0 --contimeout=0 --bwlimit=0");
        assertEquals(Optional.empty(), o.ioTimeout());
        assertEquals(Optional.empty(), o.connectTimeout());
        assertEquals(OptionalLong.empty(), o.bandwidthLimit());
        assertEquals(OptionalInt.empty(), o.maxDelete());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-az --checksum            | unsupported flag \"--checksum\"; supported: -a -r",
            "-aH                       | unsupported flag \"-H\"",
            "-e ssh                    | unsupported flag \"-e\"",
            "-a src/ dst/              | unexpected argument \"src/\"",
            "--max-delete=-1           | --max-delete=-1 must be a whole number, 0 or more",
            "--max-delete=lots         | --max-delete=lots must be a whole number",
            "--timeout=soon            | --timeout=soon must be a whole number",
            "--bwlimit=fast            | --bwlimit=fast is not a rate",
            "--bwlimit=100b            | below the minimum of 512 bytes/s",
            "--exclude                 | --exclude needs a value",
            "--exclude=                | pattern must not be empty",
            "--delete=yes              | --delete takes no value",
            "--inplace --partial-dir=p | --inplace cannot be combined with --partial-dir",
            "--partial-dir=../up       | must be a relative directory name without \"..\"",
            "--partial-dir=/abs        | must be a relative directory name",
            "-v -q                     | -q and -v contradict each other",
            "--exclude='*.tmp          | unterminated single quote",
            "--exclude=x[              | invalid pattern in --exclude=x[",
    })
    void rejected(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RsyncArgs.parse(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
