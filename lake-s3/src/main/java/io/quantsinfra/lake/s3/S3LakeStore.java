package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.DiskSpace;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.RsyncOptions;
import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.StagedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One profile's part of a lake in a bucket, for one run: a key prefix whose objects are the
 * files, whose "directories" are the prefixes between slashes, and whose staged files are
 * multipart uploads not yet completed. Each object carries the size and mtime of the remote file
 * it copies as metadata, since its own LastModified is the upload's time.
 */
final class S3LakeStore implements LakeStore {
    private final ObjectStore store;
    private final S3Location location;
    private final String profile;
    private final RsyncOptions rsync;
    private final Leases leases;
    /** This run's lease, once {@link #claim} took one. */
    private volatile Optional<BucketLease> lease = Optional.empty();
    private final PartMemory memory;
    private final int partSize;
    /** Runs the LIST and HEAD requests of the listings, several at a time. */
    private final Executor heads;
    private final UnfinishedUploads uploads;
    /** Made by the first listing, which brings the run's filter and retention. */
    private PrefixLister lister;
    /** The directories the listings found, so that a deletion knows a directory from a file. */
    private final Set<String> directories = ConcurrentHashMap.newKeySet();
    /** Staged files that hold memory still, which {@link #close} gives back. */
    private final Set<S3StagedFile> open = ConcurrentHashMap.newKeySet();

    S3LakeStore(ObjectStore store, S3Location location, Profile profile, PartMemory memory, int partSize,
                Executor heads, Leases leases) {
        this.store = store;
        this.location = location;
        this.profile = profile.name();
        this.rsync = profile.rsync();
        this.leases = leases;
        this.memory = memory;
        this.partSize = partSize;
        this.heads = heads;
        this.uploads = new UnfinishedUploads(store, location);
    }

    @Override
    public String location() {
        return location.toString();
    }

    /** The bucket must be there and usable: its absence or a refusal stops the run before it starts. */
    @Override
    public void requireSafeRoot() {
        store.requireBucket(location.keyPrefix());
    }

    /** Read ahead: see {@link PrefixLister}. The filter and retention are those of the run. */
    @Override
    public LocalListing listDirectory(String relative, PathFilter filter, Retention retention) {
        PrefixLister lister;
        synchronized (this) {
            if (this.lister == null) {
                this.lister = new PrefixLister(store, location, filter, retention, heads);
            }
            lister = this.lister;
        }
        List<LocalEntry> entries = lister.list(relative);
        entries.stream().filter(e -> e.type() == EntryType.DIRECTORY).forEach(e -> directories.add(e.path()));
        Map<String, Long> partials = new HashMap<>();
        for (String path : uploads.in(relative)) {
            uploads.resumable(path).ifPresent(u -> partials.put(NameRules.stagingRelative(path, false,
                    rsync.partialDir()), u.bytes()));
        }
        return new LocalListing(entries, partials);
    }

    /** A bucket has no free space to run out of. */
    @Override
    public long usableBytes(DiskSpace space) {
        return Long.MAX_VALUE;
    }

    /** Prefixes exist as soon as an object is under them. */
    @Override
    public void createDirectory(String relative) {
    }

    @Override
    public void createLink(String relative, String target) throws IOException {
        throw new IOException(location + " cannot hold symlinks");
    }

    /** A directory goes once nothing is under it; a file's object is deleted. */
    @Override
    public boolean delete(String relative) throws IOException {
        requireLease();
        String key = location.key(relative);
        if (directories.contains(relative)) {
            if (store.anyUnder(key + "/")) {
                throw new DirectoryNotEmptyException(relative);
            }
            return true;
        }
        DeleteReport report = store.deleteAll(List.of(key));
        if (!report.failures().isEmpty()) {
            throw new IOException(why(report.failures().get(0)));
        }
        return true;
    }

    /** Up to 1,000 keys per DeleteObjects request. */
    @Override
    public Deleted deleteFiles(List<String> relatives) {
        requireLease();
        Map<String, String> byKey = new HashMap<>();
        relatives.forEach(r -> byKey.put(location.key(r), r));
        DeleteReport report = store.deleteAll(byKey.keySet());
        Map<String, String> failed = new java.util.LinkedHashMap<>();
        report.failures().forEach(f -> failed.put(byKey.get(f.key()), why(f)));
        return new Deleted(report.deleted().stream().map(byKey::get).sorted().toList(), failed);
    }

    /** The store's reason for not deleting a key. */
    private static String why(DeleteReport.Failure f) {
        return "the object store refused (" + f.code() + ": " + f.message() + ")";
    }

    /** A prefix has no mtime. */
    @Override
    public void setDirectoryTime(String relative, long mtime) {
    }

    @Override
    public StagedFile stage(String relative, Source source, long resumeFrom) {
        S3StagedFile.Builder b = new S3StagedFile.Builder();
        b.store = store;
        b.uploads = uploads;
        b.memory = memory;
        b.relative = relative;
        b.key = location.key(relative);
        b.metadata = new SourceStamp(source.size(), Instant.ofEpochSecond(source.mtime())).toUserMetadata();
        b.size = source.size();
        b.partSize = partSize;
        b.released = open::remove;
        b.beforePublish = this::requireLease;
        S3StagedFile staged = b.open(resumeFrom);
        open.add(staged);
        return staged;
    }

    @Override
    public boolean isStaged(String relative) {
        return uploads.has(relative);
    }

    @Override
    public void discardStaged(String relative) {
        uploads.abortAll(relative, null);
    }

    @Override
    public String stagedLocation(String relative) {
        return "the unfinished upload of " + location.key(relative) + " in " + location.bucket();
    }

    @Override
    public void dropStagedExcept(Set<String> keep) {
        uploads.abortAllBut(keep);
    }

    @Override
    public boolean holdsLinks() {
        return false;
    }

    @Override
    public boolean exists() {
        return store.anyUnder(location.keyPrefix());
    }

    @Override
    public List<String> topDirectories() {
        List<String> names = new ArrayList<>();
        for (String dir : store.listLevel(location.keyPrefix()).directories()) {
            String name = dir.substring(location.keyPrefix().length(), dir.length() - 1);
            if (PrefixLister.usable(name)) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void eachFile(String relative, Consumer<StoredFile> visitor) {
        for (ObjectEntry o : store.list(relative.isEmpty() ? location.keyPrefix() : location.key(relative) + "/")) {
            visitor.accept(new StoredFile(location.relativize(o.key()), o.size(), OptionalLong.empty()));
        }
    }

    @Override
    public ByteBuffer read(String relative, long position, int length) throws IOException {
        return store.read(location.key(relative), position, length);
    }

    /** Lists the directory's objects and deletes them in batches; its unfinished uploads are aborted too. */
    @Override
    public long deleteTree(String relative) throws IOException {
        requireLease();
        List<ObjectEntry> objects = store.list(location.key(relative) + "/");
        DeleteReport report = store.deleteAll(objects.stream().map(ObjectEntry::key).toList());
        if (!report.failures().isEmpty()) {
            throw new IOException(report.failures().size() + " objects were not deleted, e.g. "
                    + report.failures().get(0).key() + ": " + why(report.failures().get(0)));
        }
        uploads.abortUnder(relative);
        return objects.stream().mapToLong(ObjectEntry::size).sum();
    }

    /** The store's errors are {@link LakeException}s already, which stop the run where they are thrown. */
    @Override
    public Optional<LakeException> stopping(IOException e, String doing) {
        return Optional.empty();
    }

    /** A lease in the bucket, where the store honours conditional writes; nothing otherwise. */
    @Override
    public Claim claim(java.time.Clock clock) {
        Claim claim = leases.claim(profile, "profile " + profile + " at " + location, clock);
        if (claim instanceof BucketLease held) {
            lease = Optional.of(held);
        }
        return claim;
    }

    /** Refuses to change the lake once another puller took the lease over. */
    private void requireLease() {
        lease.ifPresent(BucketLease::requireHeld);
    }

    /** Gives back the memory of files the run left unfinished; their uploads stay for a resume. */
    @Override
    public void close() {
        List.copyOf(open).forEach(S3StagedFile::abandon);
        synchronized (this) {
            if (lister != null) {
                lister.close();
            }
        }
    }
}
