package io.quantsinfra.lake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.NameRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging names that always fit, and profile directories that never pass through a link. */
class LocalLayoutTest {
    @TempDir
    Path tmp;

    private static Profile profile(Path root, String subdir, String rsyncArgs) {
        return DataLakeConfig.builder(root)
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir(subdir).rsyncArgs(rsyncArgs))
                .build().requireProfile("p");
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void stagingName_ofAShortName_isTheHiddenName() {
        assertEquals(".part_00001.parquet.lake-part", NameRules.stagingName("part_00001.parquet"));
        assertTrue(NameRules.isStagingName(NameRules.stagingName("part_00001.parquet")));
    }

    @Test
    void stagingName_ofA255ByteName_fitsIn255Bytes_andStaysUnique() {
        String a = "a".repeat(250) + ".parq";
        String b = "a".repeat(250) + ".parx";
        assertEquals(255, bytes(a));
        String sa = NameRules.stagingName(a);
        assertTrue(bytes(sa) <= 255, sa);
        assertTrue(NameRules.isStagingName(sa));
        assertNotEquals(sa, NameRules.stagingName(b), "names that share their first 228 bytes still differ");
        assertEquals(sa, NameRules.stagingName(a), "the same name always gets the same staging name");
    }

    @Test
    void stagingName_neverCutsAMultiByteCharacter() {
        String name = "日".repeat(85); // 255 bytes of three-byte characters
        String s = NameRules.stagingName(name);
        assertTrue(bytes(s) <= 255, s);
        assertEquals(s, new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void aSymlinkedProfileDirectory_isRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("lake"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("p"), outside);
        LakeException e = assertThrows(LakeException.class,
                () -> new LocalLayout(profile(root, "p", "-a")).requireRealDirectories());
        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
        assertEquals("the profile directory " + root.resolve("p") + " is a symlink (it points to " + outside
                + "); refusing to write or delete through it, which could reach outside " + root, e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("replace the link by a real directory"), e.hint().toString());
    }

    @Test
    void aSymlinkedAncestorBelowRootDir_isRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("lake"));
        Files.createSymbolicLink(root.resolve("exchanges"), Files.createDirectories(tmp.resolve("outside")));
        LakeException e = assertThrows(LakeException.class,
                () -> new LocalLayout(profile(root, "exchanges/gate", "-a")).requireRealDirectories());
        assertTrue(e.getMessage().startsWith("the profile directory " + root.resolve("exchanges/gate") + " passes through "
                + root.resolve("exchanges") + ", a symlink"), e.getMessage());
    }

    @Test
    void aSymlinkedRootDir_isAllowed_asAreMissingDirectories() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real-lake"));
        Path root = Files.createSymbolicLink(tmp.resolve("lake"), real);
        new LocalLayout(profile(root, "a/b/c", "-a")).requireRealDirectories();
        Files.createDirectories(real.resolve("a/b/c"));
        new LocalLayout(profile(root, "a/b/c", "-a")).requireRealDirectories();
    }

    @Test
    void aPathLeavingTheProfileDirectory_isALocalStorageFailure_notABug() {
        LocalLayout layout = new LocalLayout(profile(tmp.resolve("lake"), "p", "-a"));
        LakeException e = assertThrows(LakeException.class, () -> layout.target("../../etc/passwd"));
        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
        assertThrows(LakeException.class, () -> layout.target(""));
    }
}
