package io.quantsinfra.lake.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A file staged in the local lake: a hidden staging file beside its target (or in the partial
 * directory), opened never through a symlink, and renamed over the target once sealed. With
 * {@code --inplace} the staging file is the target itself.
 */
final class LocalStagedFile implements StagedFile {
    private static final int WRITE_SLICE = 64 * 1024;

    private final Path staging;
    private final Path target;
    private final FileChannel channel;
    /** Whether this open created the staging file, so that it has the JDK's default mode. */
    private final boolean created;

    private LocalStagedFile(Path staging, Path target, FileChannel channel, boolean created) {
        this.staging = staging;
        this.target = target;
        this.channel = channel;
        this.created = created;
    }

    /**
     * Opens the staging file, never through a symlink: one planted at its name is removed, not
     * followed. A fresh download ({@code offset} 0) truncates it; a resume keeps the partial's
     * bytes up to {@code offset}, or none if it holds fewer.
     */
    static LocalStagedFile open(Path staging, Path target, long offset) throws StoreWriteException {
        try {
            FileChannel ch;
            boolean created = false;
            try {
                if (offset == 0 && !staging.equals(target)) {
                    ch = createNew(staging);
                    created = ch != null;
                } else {
                    ch = null;
                }
                if (ch == null) {
                    ch = channel(staging, offset == 0);
                }
            } catch (IOException e) { // the JDK reports O_NOFOLLOW's ELOOP as a plain IOException
                if (!Files.isSymbolicLink(staging)) {
                    throw e;
                }
                Files.delete(staging); // O_NOFOLLOW refused a link: remove the link itself
                ch = channel(staging, offset == 0);
            }
            if (offset > 0) {
                ch.truncate(ch.size() < offset ? 0 : offset);
            }
            return new LocalStagedFile(staging, target, ch, created);
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    /** A staging file this open creates, or null when one is there already (left by an earlier run). */
    private static FileChannel createNew(Path staging) throws IOException {
        try {
            return FileChannel.open(staging, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return null;
        }
    }

    private static FileChannel channel(Path staging, boolean truncate) throws IOException {
        return truncate
                ? FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size() throws StoreWriteException {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    /**
     * A heap buffer goes in slices of at most {@link #WRITE_SLICE}: the JDK copies it through a
     * per-thread direct buffer as large as the write, so smaller writes keep that memory small
     * with hundreds of workers. A direct buffer is written as it is.
     */
    @Override
    public void write(ByteBuffer data, long position) throws StoreWriteException {
        try {
            int n = data.remaining();
            int slice = data.isDirect() ? n : WRITE_SLICE;
            for (int done = 0; done < n; ) {
                ByteBuffer bb = data.duplicate().position(data.position() + done).limit(data.position() + done + Math.min(slice, n - done));
                while (bb.hasRemaining()) {
                    done += channel.write(bb, position + done);
                }
            }
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    /** The last {@link #TAIL_WINDOW} bytes of the staging file, compared byte for byte. */
    @Override
    public TailCheck tailCheck() throws IOException {
        long size = channel.size();
        int window = (int) Math.min(TAIL_WINDOW, size);
        ByteBuffer local = ByteBuffer.allocate(window);
        while (local.hasRemaining()) {
            if (channel.read(local, size - window + local.position()) < 0) {
                break; // cut short meanwhile: what was read cannot match
            }
        }
        byte[] held = local.array();
        return new TailCheck(size - window, window, theirs -> !local.hasRemaining() && Arrays.equals(held, theirs));
    }

    @Override
    public void startOver() throws StoreWriteException {
        try {
            channel.truncate(0);
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    @Override
    public void flushEarly() {
        try {
            channel.force(false);
        } catch (IOException e) {
            // a closed file or a failing disk: the sync in seal reports the latter
        }
    }

    /** fdatasync when asked: the bytes and the size; the mtime is set afterwards anyway. */
    @Override
    public void seal(boolean durableNow, OptionalInt mode, OptionalLong mtime) throws StoreWriteException {
        try {
            try (FileChannel ch = channel) {
                if (durableNow) {
                    ch.force(false); // flushes whatever an early flush has not; closing waits for one in progress
                }
            }
            if (mode.isPresent() && !hasMode(mode.getAsInt() & 0777)) {
                // opened with O_NOFOLLOW and changed through that descriptor: a link planted at the
                // staging file's name since it was opened fails the file instead of being followed
                Files.getFileAttributeView(staging, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(PosixModes.fromMode(mode.getAsInt() & 0777));
            }
            if (mtime.isPresent()) {
                FileTimes.setModified(staging, mtime.getAsLong());
            }
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    /**
     * Whether the staging file has {@code bits} already: it was created by this run's open (not
     * an earlier one's, nor the target itself with {@code --inplace}) and the umask left those.
     */
    private boolean hasMode(int bits) {
        return created && PosixModes.createdFileMode().orElse(-1) == bits;
    }

    @Override
    public void publish() throws StoreWriteException {
        if (staging.equals(target)) {
            return; // --inplace: the bytes are where readers look already
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    @Override
    public long abandon() {
        long kept = -1;
        try (FileChannel ch = channel) {
            kept = ch.size();
        } catch (IOException e) {
            // failing already; the first error is the one reported
        }
        return kept;
    }

    @Override
    public Optional<Path> stagingDirectory() {
        return Optional.of(staging.getParent());
    }

    @Override
    public Optional<Path> targetDirectory() {
        return Optional.of(target.getParent());
    }
}
