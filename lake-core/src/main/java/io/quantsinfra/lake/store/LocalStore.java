package io.quantsinfra.lake.store;

import io.quantsinfra.lake.DiskSpace;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.Libc;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Retention;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lake as a local directory tree, {@code root_dir/local_subdir} for one profile. Nothing is
 * written, deleted or followed outside it: every path goes through {@link LocalLayout}, and no
 * write goes through a symlink. Files are staged under a hidden name and renamed into place.
 */
public final class LocalStore implements LakeStore {
    private final LocalLayout layout;

    /** The store of {@code profile}'s directory. One store serves one run. */
    public LocalStore(Profile profile) {
        this.layout = new LocalLayout(profile);
    }

    /**
     * Binds, on the calling thread, the C library calls that read the lake's directories and set
     * mtimes, which the first listing would otherwise wait for. Never fails: where they cannot be
     * bound, the JDK does that work.
     */
    public static void warmUp() {
        Libc.load();
    }

    @Override
    public String location() {
        return layout.root().toString();
    }

    @Override
    public void requireSafeRoot() {
        layout.requireRealDirectories();
    }

    @Override
    public LocalListing listDirectory(String relative, PathFilter filter, Retention retention) throws IOException {
        return LocalTree.list(layout, relative, filter, retention);
    }

    @Override
    public long usableBytes(DiskSpace space) throws IOException {
        return space.usableBytes(layout.root());
    }

    @Override
    public void createDirectory(String relative) throws IOException {
        layout.ensureDirectory(layout.target(relative));
    }

    @Override
    public void createLink(String relative, String target) throws IOException {
        Path path = layout.target(relative);
        layout.ensureDirectory(path.getParent());
        Files.deleteIfExists(path); // an old link or file: deleting never follows a link
        Files.createSymbolicLink(path, Path.of(target));
    }

    @Override
    public boolean delete(String relative) throws IOException {
        Path path = layout.target(relative);
        if (Files.isSymbolicLink(path.getParent())) {
            return false;
        }
        Files.deleteIfExists(path);
        return true;
    }

    @Override
    public void setDirectoryTime(String relative, long mtime) throws IOException {
        Path path = layout.target(relative);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                && Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond() != mtime) {
            Files.setLastModifiedTime(path, FileTime.from(mtime, TimeUnit.SECONDS));
        }
    }

    /** Creates the directories of the file and its staging file first, never through a link. */
    @Override
    public StagedFile stage(String relative, Source source, long resumeFrom) throws StoreWriteException {
        Path target = layout.target(relative);
        Path staging = layout.stagingOf(relative, target);
        try {
            layout.ensureDirectory(target.getParent());
            layout.ensureDirectory(staging.getParent());
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
        return LocalStagedFile.open(staging, target, resumeFrom);
    }

    @Override
    public boolean isStaged(String relative) {
        return Files.exists(layout.staging(relative), LinkOption.NOFOLLOW_LINKS);
    }

    /** With {@code --inplace} the staged bytes are the file itself, and stay. */
    @Override
    public void discardStaged(String relative) throws IOException {
        if (!layout.inplace(relative)) {
            Files.deleteIfExists(layout.staging(relative));
        }
    }

    @Override
    public String stagedLocation(String relative) {
        return layout.staging(relative).toString();
    }

    @Override
    public boolean holdsLinks() {
        return true;
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(layout.root(), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> topDirectories() throws IOException {
        return LocalTree.topDirectories(layout);
    }

    @Override
    public void eachFile(String relative, Consumer<StoredFile> visitor) throws IOException {
        LocalTree.eachFile(layout, relative, visitor);
    }

    /** Opens the file without following a link at its name; {@link LocalLayout#target} keeps it inside the profile. */
    @Override
    public ByteBuffer read(String relative, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(layout.target(relative), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new EOFException(layout.target(relative) + " ends before byte " + (position + length));
                }
            }
            return bytes.flip();
        }
    }

    @Override
    public long deleteTree(String relative) throws IOException {
        return LocalTree.deleteTree(layout, relative);
    }

    @Override
    public Optional<LakeException> stopping(IOException e, String doing) {
        return LocalStorageErrors.stopping(e, layout.root(), doing);
    }
}
