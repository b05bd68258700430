package io.quantsinfra.lake.durability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class FileSystemSyncTest {
    @TempDir
    Path tmp;

    @Test
    void onLinux_syncfsIsAvailable_andSyncsTheFileSystemsOfTheDirectories() throws IOException {
        Optional<FileSystemSync> opened = FileSystemSync.open();
        assertTrue(opened.isPresent(), "JNA could not call syncfs here");
        try (FileSystemSync sync = opened.get()) {
            Path a = Files.createDirectories(tmp.resolve("a"));
            Path b = Files.createDirectories(tmp.resolve("b"));
            Files.write(a.resolve("f"), new byte[4096]);
            sync.sync(List.of(a, b));
            sync.sync(List.of(a)); // the descriptor is kept for the next batch
        }
    }

    @Test
    void aMissingDirectory_isAnIOException() {
        try (FileSystemSync sync = FileSystemSync.open().orElseThrow()) {
            assertThrows(IOException.class, () -> sync.sync(List.of(tmp.resolve("missing"))));
        }
    }
}
