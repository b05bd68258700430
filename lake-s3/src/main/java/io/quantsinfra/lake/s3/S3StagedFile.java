package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.store.StagedFile;
import io.quantsinfra.lake.store.StoreWriteException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A file on its way into the bucket, invisible under its key until it is published. A small file
 * collects in memory and goes up in one PUT; a large one goes up part by part as its bytes
 * arrive, as a multipart upload that publishing completes, and that a later run resumes when
 * this one stops. The memory it holds comes from the store's {@link PartMemory}.
 */
final class S3StagedFile implements StagedFile {
    private final ObjectStore store;
    private final UnfinishedUploads uploads;
    private final PartMemory memory;
    private final String relative;
    private final String key;
    private final Map<String, String> metadata;
    private final boolean multipart;
    private final int partSize;
    private final List<UploadedPart> parts = new ArrayList<>();
    private String uploadId;
    /** Bytes in the uploaded parts. */
    private long uploaded;
    private byte[] buffer;
    private int filled;
    private final PartMemory.Share share;
    /** Whether the memory went back: the file was sealed (a large one), published or abandoned. */
    private boolean ended;
    private final Consumer<S3StagedFile> released;
    private final Runnable beforePublish;

    private S3StagedFile(Builder b) {
        this.store = b.store;
        this.uploads = b.uploads;
        this.memory = b.memory;
        this.relative = b.relative;
        this.key = b.key;
        this.metadata = b.metadata;
        this.partSize = b.partSize;
        this.released = b.released;
        this.beforePublish = b.beforePublish;
        this.multipart = b.size >= b.partSize;
        this.share = memory.take(multipart ? partSize : b.size);
        this.buffer = new byte[multipart ? partSize : (int) b.size];
    }

    /** What a staged file needs; {@link #open} makes it. */
    static final class Builder {
        ObjectStore store;
        UnfinishedUploads uploads;
        PartMemory memory;
        String relative;
        String key;
        Map<String, String> metadata;
        long size;
        int partSize;
        /** Told once the file gives its memory back. */
        Consumer<S3StagedFile> released;
        /** Checks, before the object appears, that the run may still write the lake. */
        Runnable beforePublish;

        /**
         * Opens the file, taking its memory first. A resume keeps the parts of the path's newest
         * upload up to {@code resumeFrom}; a fresh start aborts the path's uploads.
         */
        S3StagedFile open(long resumeFrom) {
            S3StagedFile f = new S3StagedFile(this);
            Optional<UnfinishedUploads.Resumable> earlier = resumeFrom > 0 && f.multipart
                    ? uploads.resumable(relative) : Optional.empty();
            if (earlier.isPresent()) {
                f.uploadId = earlier.get().uploadId();
                for (UploadedPart p : earlier.get().parts()) {
                    if (f.uploaded + p.size() > resumeFrom) {
                        break;
                    }
                    f.parts.add(p);
                    f.uploaded += p.size();
                }
                uploads.abortAll(relative, f.uploadId);
            } else {
                uploads.abortAll(relative, null);
            }
            return f;
        }
    }

    @Override
    public synchronized long size() {
        return uploaded + filled;
    }

    /** Bytes come in order, as a transfer streams them; each full part goes up at once. */
    @Override
    public synchronized void write(ByteBuffer data, long position) throws StoreWriteException {
        if (position != size()) {
            throw new StoreWriteException(new IOException("bytes must come in order: expected offset " + size()
                    + ", got " + position));
        }
        ByteBuffer in = data.duplicate();
        while (in.hasRemaining()) {
            if (filled == buffer.length) {
                if (multipart) {
                    uploadPart();
                } else {
                    buffer = Arrays.copyOf(buffer, Math.max(16, buffer.length * 2)); // it grew since it was listed
                }
            }
            int n = Math.min(in.remaining(), buffer.length - filled);
            in.get(buffer, filled, n);
            filled += n;
        }
    }

    /**
     * The last uploaded part: the remote's bytes there must have the part's MD5, which is its
     * entity tag on S3 and the stores like it (not with SSE-KMS, where no resume passes and the
     * file starts over).
     */
    @Override
    public synchronized TailCheck tailCheck() {
        if (parts.isEmpty()) {
            return new TailCheck(size(), 0, theirs -> true);
        }
        UploadedPart last = parts.get(parts.size() - 1);
        String etag = last.etag().replace("\"", "");
        return new TailCheck(uploaded - last.size(), (int) last.size(), theirs -> md5(theirs).equalsIgnoreCase(etag));
    }

    @Override
    public synchronized void startOver() {
        if (uploadId != null) {
            uploads.abortAll(relative, null);
        }
        uploadId = null;
        parts.clear();
        uploaded = 0;
        filled = 0;
    }

    @Override
    public void flushEarly() {
        // parts go up as they fill
    }

    /**
     * A large file's last part goes up, and its memory goes back; a small file keeps its bytes
     * for the PUT. Mode and mtime are the metadata given when the file was staged.
     */
    @Override
    public synchronized void seal(boolean durableNow, OptionalInt mode, OptionalLong mtime) {
        if (multipart) {
            try {
                if (filled > 0 || parts.isEmpty()) {
                    uploadPart();
                }
            } finally {
                release();
            }
        }
    }

    /** One PUT, or the completion of the upload: either way the object appears whole at once. */
    @Override
    public synchronized void publish() {
        try {
            beforePublish.run();
            if (multipart) {
                store.completeMultipartUpload(key, uploadId, parts);
                uploads.completed(relative, uploadId);
            } else {
                store.put(key, filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled), metadata);
            }
        } finally {
            release();
        }
    }

    /**
     * The upload stays for a later run to resume, unless the store is told to discard it; the
     * bytes of a part not yet uploaded are dropped.
     */
    @Override
    public synchronized long abandon() {
        release();
        filled = 0;
        return uploaded;
    }

    /** The multipart upload's id, once it has one. */
    @Override
    public synchronized Optional<String> stagedId() {
        return Optional.ofNullable(uploadId);
    }

    @Override
    public Optional<Path> stagingDirectory() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> targetDirectory() {
        return Optional.empty();
    }

    private void uploadPart() {
        if (uploadId == null) {
            uploadId = store.createMultipartUpload(key, metadata);
            uploads.started(relative, uploadId);
        }
        byte[] bytes = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
        UploadedPart part = store.uploadPart(key, uploadId, parts.size() + 1, bytes);
        parts.add(part);
        uploaded += filled;
        filled = 0;
    }

    private void release() {
        if (!ended) {
            ended = true;
            memory.release(share);
            released.accept(this);
        }
        buffer = null;
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
