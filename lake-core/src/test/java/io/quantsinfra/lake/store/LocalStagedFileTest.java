package io.quantsinfra.lake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing a staged file sets its mode and mtime through the file itself, never through a link. */
class LocalStagedFileTest {
    @TempDir
    Path dir;

    @Test
    void sealing_setsTheRemoteModeAndMtime() throws IOException {
        Path staging = dir.resolve(".a.parquet.tmp");
        LocalStagedFile file = LocalStagedFile.open(staging, dir.resolve("a.parquet"), 0);
        file.write(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.US_ASCII)), 0);

        file.seal(false, OptionalInt.of(0100600), OptionalLong.of(1_700_000_000L));
        file.publish();

        Path target = dir.resolve("a.parquet");
        assertEquals("bytes", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(FileTime.from(1_700_000_000L, TimeUnit.SECONDS), Files.getLastModifiedTime(target));
    }

    @Test
    void aLinkPlantedAtTheStagingName_failsTheFile_andLeavesWhatItPointsTo() throws IOException {
        Path outside = Files.writeString(dir.resolve("outside"), "keep");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        FileTime before = Files.getLastModifiedTime(outside);
        Path staging = dir.resolve(".a.parquet.tmp");
        LocalStagedFile file = LocalStagedFile.open(staging, dir.resolve("a.parquet"), 0);
        file.write(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.US_ASCII)), 0);
        Files.delete(staging);
        Files.createSymbolicLink(staging, outside); // swapped in between the write and the seal

        assertThrows(StoreWriteException.class,
                () -> file.seal(false, OptionalInt.of(0100600), OptionalLong.of(1_700_000_000L)));

        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)));
        assertEquals(before, Files.getLastModifiedTime(outside));
        assertEquals("keep", Files.readString(outside));
    }
}
