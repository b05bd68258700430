package io.quantsinfra.lake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTimesTest {
    @TempDir
    Path dir;

    @Test
    void setsTheMtimeAndLeavesTheAccessTime() throws IOException {
        Path file = Files.writeString(dir.resolve("a.parquet"), "x");
        FileTime atime = FileTime.from(1_600_000_000L, TimeUnit.SECONDS);
        Files.setAttribute(file, "lastAccessTime", atime);

        FileTimes.setModified(file, 1_700_000_123L);

        assertEquals(FileTime.from(1_700_000_123L, TimeUnit.SECONDS), Files.getLastModifiedTime(file));
        assertEquals(atime, Files.getAttribute(file, "lastAccessTime"));
    }

    @Test
    void neverFollowsALink() throws IOException {
        Path outside = Files.writeString(dir.resolve("outside"), "keep");
        FileTime before = Files.getLastModifiedTime(outside);
        Path link = Files.createSymbolicLink(dir.resolve("staged"), outside);

        FileTimes.setModified(link, 1_700_000_000L);

        assertEquals(before, Files.getLastModifiedTime(outside));
        assertEquals(FileTime.from(1_700_000_000L, TimeUnit.SECONDS), Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aMissingFileIsAnIoError() {
        IOException e = assertThrows(IOException.class, () -> FileTimes.setModified(dir.resolve("gone"), 1L));
        assertEquals(true, e.getMessage().contains("gone"), e.getMessage());
    }
}
