package io.quantsinfra.lake.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.durability.AtomicFile;
import io.quantsinfra.lake.plan.NameRules;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes one profile's checkpoint file.
 *
 * <p>Loading never fails because of the file's content: a corrupt, truncated or empty file is moved
 * aside to {@code <file>.corrupt-<yyyyMMddTHHmmssZ>} and the profile starts as if it had never been
 * synced, with a warning saying where the old file went. Saving is atomic and durable: the file
 * either keeps its old content or has the new one, even after a crash or power loss.
 *
 * <p>Failures of the local file system throw {@link LakeException} of kind
 * {@link LakeException.Kind#LOCAL_IO}.
 */
public final class CheckpointStore {
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final String profileName;
    private final Clock clock;

    /**
     * @param file        the checkpoint file; it and its directory need not exist yet
     * @param profileName the profile it belongs to
     * @param clock       dates the names of files moved aside
     */
    public CheckpointStore(Path file, String profileName, Clock clock) {
        this.file = file.toAbsolutePath();
        this.profileName = Objects.requireNonNull(profileName, "profileName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The result of {@link #load()}.
     *
     * @param checkpoint the stored checkpoint, or {@link Checkpoint#empty} if there was none
     * @param warning    what was wrong with the file, and where it was moved, if it was unreadable
     */
    public record Loaded(Checkpoint checkpoint, Optional<String> warning) {
        /** Checks that both fields are present. */
        public Loaded {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(warning, "warning");
        }
    }

    /** The checkpoint file, absolute. */
    public Path file() {
        return file;
    }

    /**
     * Reads the checkpoint. A missing file gives {@link Checkpoint#empty}; so does a file that does
     * not hold a checkpoint, after it has been moved aside.
     *
     * @throws LakeException of kind {@code LOCAL_IO} if the file exists but cannot be read, or a bad
     *                       file cannot be moved aside
     */
    public Loaded load() {
        return read(true);
    }

    /**
     * Reads the checkpoint like {@link #load()} but changes nothing: a bad file stays where it is.
     * For dry runs and status displays.
     *
     * @throws LakeException of kind {@code LOCAL_IO} if the file exists but cannot be read
     */
    public Loaded peek() {
        return read(false);
    }

    private Loaded read(boolean setAside) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Loaded(Checkpoint.empty(profileName), Optional.empty());
        } catch (IOException e) {
            throw localIo("cannot read the checkpoint " + file + ": " + e,
                    "check that the file is readable by this user", e);
        }
        try {
            return withSafePaths(CheckpointJson.read(bytes));
        } catch (IOException e) {
            String problem = bytes.length == 0 ? "the file is empty" : describe(e);
            String outcome = setAside ? "moved it to " + moveAside() : "a real run will move it aside";
            return new Loaded(Checkpoint.empty(profileName), Optional.of("checkpoint " + file
                    + " is unreadable (" + problem + "); " + outcome
                    + " and starting as if profile " + profileName + " had never been synced"));
        }
    }

    /**
     * The checkpoint without partial files whose paths could lead outside the profile directory
     * (a file edited by hand, or by someone else): each is dropped with a warning, never fatal.
     */
    private Loaded withSafePaths(Checkpoint read) {
        List<Checkpoint.Partial> safe = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Checkpoint.Partial p : read.partials()) {
            Optional<String> bad = NameRules.pathProblem(p.path());
            if (bad.isPresent()) {
                dropped.add("\"" + NameRules.printable(p.path()) + "\" (" + bad.get() + ")");
            } else {
                safe.add(p);
            }
        }
        if (dropped.isEmpty()) {
            return new Loaded(read, Optional.empty());
        }
        return new Loaded(read.withPartials(safe), Optional.of("checkpoint " + file + " lists partial files with"
                + " unsafe paths, ignored (their data, if any, is fetched anew): " + String.join(", ", dropped)));
    }

    /**
     * Replaces the stored checkpoint atomically and durably (see {@link AtomicFile#replace}). Creates
     * the directory if needed. If anything fails, the old checkpoint is left as it was.
     *
     * @throws IllegalArgumentException if {@code checkpoint} belongs to another profile
     * @throws LakeException            of kind {@code LOCAL_IO} if the file cannot be written
     */
    public void save(Checkpoint checkpoint) {
        if (!checkpoint.profileName().equals(profileName)) {
            throw new IllegalArgumentException("checkpoint of profile " + checkpoint.profileName()
                    + " saved to the store of profile " + profileName);
        }
        byte[] bytes = CheckpointJson.write(checkpoint);
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw localIo("cannot create the checkpoint directory " + dir + ": " + e,
                    "check that the parent directory exists and is writable by this user", e);
        }
        try {
            AtomicFile.replace(file, bytes);
        } catch (IOException e) {
            throw localIo("cannot write the checkpoint " + file + ": " + e,
                    "check that " + dir + " is writable by this user and the disk is not full", e);
        }
    }

    /** Moves the checkpoint file to a free {@code <file>.corrupt-<stamp>[-n]} name and returns that name. */
    private Path moveAside() {
        String base = file.getFileName() + ".corrupt-" + ASIDE_STAMP.format(clock.instant());
        for (int n = 1; ; n++) {
            Path aside = file.resolveSibling(n == 1 ? base : base + "-" + n);
            try {
                Files.move(file, aside);
                return aside;
            } catch (FileAlreadyExistsException e) {
                // Another file was moved aside in the same second: try the next name.
            } catch (IOException e) {
                throw localIo("the checkpoint " + file + " is unreadable and cannot be moved aside to "
                        + aside + ": " + e, "move or delete the file by hand", e);
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? ""
                    : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
            return json.getOriginalMessage().lines().findFirst().orElse("invalid JSON") + where;
        }
        return e.getMessage();
    }

    private LakeException localIo(String message, String hint, IOException cause) {
        return new LakeException(LakeException.Kind.LOCAL_IO, file.toString(), message, hint, cause);
    }
}
