package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.S3Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The multipart uploads under a profile's prefix that are not completed: the staged files of an
 * object-store lake. Listed once per run, they tell the plan how many bytes of each file a
 * resume keeps; at the end of the run, those no partial stands for any more are aborted, so that
 * no storage leaks.
 */
final class UnfinishedUploads {
    private final ObjectStore store;
    private final S3Location location;
    /** Uploads by relative path, oldest first; loaded on first use. */
    private Map<String, List<MultipartUpload>> byPath;
    /** The parts of the upload each resumable path would continue, found once. */
    private final Map<String, List<UploadedPart>> resumable = new HashMap<>();

    UnfinishedUploads(ObjectStore store, S3Location location) {
        this.store = store;
        this.location = location;
    }

    /** The paths with an unfinished upload directly in the directory {@code relative}. */
    synchronized List<String> in(String relative) {
        List<String> paths = new ArrayList<>();
        for (String path : uploads().keySet()) {
            int slash = path.lastIndexOf('/');
            if (relative.equals(slash < 0 ? "" : path.substring(0, slash))) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** Whether {@code relative} has an unfinished upload. */
    synchronized boolean has(String relative) {
        return uploads().containsKey(relative);
    }

    /**
     * The newest upload of {@code relative} and its parts a resume may keep: part 1 onwards,
     * without a gap. Empty when there is none, or it holds no such part.
     */
    synchronized Optional<Resumable> resumable(String relative) {
        List<MultipartUpload> all = uploads().get(relative);
        if (all == null || all.isEmpty()) {
            return Optional.empty();
        }
        MultipartUpload newest = all.get(all.size() - 1);
        List<UploadedPart> parts = resumable.computeIfAbsent(relative,
                p -> contiguous(store.listParts(newest.key(), newest.uploadId()).orElse(List.of())));
        return parts.isEmpty() ? Optional.empty() : Optional.of(new Resumable(newest.uploadId(), parts));
    }

    /**
     * An upload to continue.
     *
     * @param uploadId its id
     * @param parts    its parts from 1 on, without a gap
     */
    record Resumable(String uploadId, List<UploadedPart> parts) {
        /** The bytes those parts hold. */
        long bytes() {
            return parts.stream().mapToLong(UploadedPart::size).sum();
        }
    }

    /** This run started an upload of {@code relative}. */
    synchronized void started(String relative, String uploadId) {
        uploads().computeIfAbsent(relative, p -> new ArrayList<>())
                .add(new MultipartUpload(location.key(relative), uploadId, java.time.Instant.now()));
    }

    /** Aborts every upload of {@code relative} but {@code keep} (null for none). */
    synchronized void abortAll(String relative, String keep) {
        List<MultipartUpload> all = uploads().getOrDefault(relative, List.of());
        List<MultipartUpload> kept = new ArrayList<>();
        for (MultipartUpload u : all) {
            if (u.uploadId().equals(keep)) {
                kept.add(u);
            } else {
                store.abortMultipartUpload(u.key(), u.uploadId());
            }
        }
        resumable.remove(relative);
        if (kept.isEmpty()) {
            uploads().remove(relative);
        } else {
            uploads().put(relative, kept);
        }
    }

    /** The upload of {@code relative} was completed: the object is there now. */
    synchronized void completed(String relative, String uploadId) {
        List<MultipartUpload> all = uploads().get(relative);
        if (all != null) {
            all.removeIf(u -> u.uploadId().equals(uploadId));
            if (all.isEmpty()) {
                uploads().remove(relative);
            }
        }
        resumable.remove(relative);
    }

    /**
     * Aborts the uploads under the profile's prefix, listed afresh, that a later run will not
     * resume: those of paths not in {@code keep}, and all but the newest of the others.
     */
    synchronized void abortAllBut(Set<String> keep) {
        byPath = null; // list again: this run started and finished uploads since
        for (String path : new ArrayList<>(uploads().keySet())) {
            List<MultipartUpload> all = uploads().get(path);
            abortAll(path, keep.contains(path) ? all.get(all.size() - 1).uploadId() : null);
        }
    }

    /** Aborts the uploads of every path under the directory {@code relative}. */
    synchronized void abortUnder(String relative) {
        for (String path : new ArrayList<>(uploads().keySet())) {
            if (path.startsWith(relative + "/")) {
                abortAll(path, null);
            }
        }
    }

    private Map<String, List<MultipartUpload>> uploads() {
        if (byPath == null) {
            byPath = new HashMap<>();
            for (MultipartUpload u : store.listMultipartUploads(location.keyPrefix())) {
                if (u.key().length() > location.keyPrefix().length()) {
                    byPath.computeIfAbsent(location.relativize(u.key()), p -> new ArrayList<>()).add(u);
                }
            }
        }
        return byPath;
    }

    /** Parts 1, 2, 3… up to the first gap. */
    private static List<UploadedPart> contiguous(List<UploadedPart> parts) {
        List<UploadedPart> run = new ArrayList<>();
        for (UploadedPart p : parts) {
            if (p.partNumber() != run.size() + 1) {
                break;
            }
            run.add(p);
        }
        return run;
    }
}
