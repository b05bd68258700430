package io.quantsinfra.lake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quantsinfra.lake.EntryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryEntriesTest {
    @TempDir
    Path dir;

    private static List<DirectoryEntries.Entry> sorted(List<DirectoryEntries.Entry> entries) {
        return entries.stream().sorted(Comparator.comparing(DirectoryEntries.Entry::name)).toList();
    }

    @Test
    void givesWhatTheJdkGivesForEveryKindOfEntry() throws IOException {
        Path file = Files.write(dir.resolve("part-0.parquet"), new byte[1234]);
        Files.setLastModifiedTime(file, FileTime.from(1_700_000_000L, TimeUnit.SECONDS));
        Files.createDirectory(dir.resolve("2026-12-03"));
        Files.createSymbolicLink(dir.resolve("to-file"), file);
        Files.createSymbolicLink(dir.resolve("to-dir"), dir.resolve("2026-12-03"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        Files.writeString(dir.resolve("ünïcode ✓ name"), "x");
        Files.writeString(dir.resolve(".hidden.lake-part"), "xy");
        new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().onExit().join();

        List<DirectoryEntries.Entry> fast = sorted(DirectoryEntries.readWithKernel(dir)); // no JDK fallback here

        assertEquals(sorted(DirectoryEntries.readWithJdk(dir)), fast);
        assertEquals(new DirectoryEntries.Entry("part-0.parquet", EntryType.FILE, 1234, 1_700_000_000L),
                fast.stream().filter(e -> e.name().equals("part-0.parquet")).findFirst().orElseThrow());
        assertEquals(EntryType.SYMLINK, fast.stream().filter(e -> e.name().equals("to-dir")).findFirst().orElseThrow().type());
        assertEquals(EntryType.OTHER, fast.stream().filter(e -> e.name().equals("fifo")).findFirst().orElseThrow().type());
        assertEquals(8, fast.size(), "no . or ..");
    }

    @Test
    void aDirectoryLargerThanOneReadOfNamesIsReadWhole() throws IOException {
        String longName = "x".repeat(200);
        for (int i = 0; i < 1500; i++) { // about 330 KiB of names: many getdents64 calls
            Files.writeString(dir.resolve(longName + i), "");
        }
        List<DirectoryEntries.Entry> fast = DirectoryEntries.readWithKernel(dir);
        assertEquals(1500, fast.size());
        assertEquals(sorted(DirectoryEntries.readWithJdk(dir)), sorted(fast));
    }

    /** Names of every length up to the longest, in no order, share one buffer for statx: none may keep another's tail. */
    @Test
    void namesOfEveryLength_longAndShortMixed_areReadAsTheJdkReadsThem() throws IOException {
        for (int length = 1; length <= 255; length += 7) {
            Files.write(dir.resolve("n".repeat(length)), new byte[length]);
        }
        Files.write(dir.resolve("€".repeat(85)), new byte[3]); // 255 bytes, 85 characters
        Files.write(dir.resolve("m"), new byte[1]); // a short name after long ones, whatever the order

        List<DirectoryEntries.Entry> fast = DirectoryEntries.readWithKernel(dir);

        assertEquals(sorted(DirectoryEntries.readWithJdk(dir)), sorted(fast));
        for (DirectoryEntries.Entry e : fast) {
            assertEquals(e.name().startsWith("€") ? 3 : e.name().length(), e.size(), e.name()); // each file's own statx
        }
    }

    @Test
    void aDirectoryTheKernelRefuses_isReadByTheJdk_whichSaysWhy() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("real")));
        Files.writeString(dir.resolve("real/a"), "x");

        assertThrows(com.sun.jna.LastErrorException.class, () -> DirectoryEntries.readWithKernel(link)); // O_NOFOLLOW
        assertEquals(List.of("a"), DirectoryEntries.read(link).stream().map(DirectoryEntries.Entry::name).toList());
    }

    @Test
    void aMissingDirectoryFailsAsTheJdkSays() {
        assertThrows(NoSuchFileException.class, () -> DirectoryEntries.read(dir.resolve("gone")));
    }
}
