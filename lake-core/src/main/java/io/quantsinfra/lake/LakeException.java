package io.quantsinfra.lake;

import java.util.Objects;
import java.util.Optional;

/**
 * The one error type of lake-core. It carries a {@link Kind} that callers map to their own
 * reactions (the CLI maps it to an exit code), the path or host it concerns, and a hint that
 * tells the user how to fix it.
 */
public final class LakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What class of failure this is. */
    public enum Kind {
        /** The configuration is missing, unreadable or invalid. */
        CONFIG,
        /** The remote host cannot be reached or used: network, host key, authentication, missing remote root. */
        CONNECTION,
        /** Another run holds the profile's lock; that run goes on undisturbed. */
        LOCKED,
        /** A local file-system operation failed: disk full, directory not writable, I/O error. */
        LOCAL_IO
    }

    private final Kind kind;
    private final String subject;
    private final String hint;

    /**
     * @param kind    the failure class
     * @param subject the path, host or profile the failure concerns (may be empty)
     * @param message what went wrong
     * @param hint    how to fix it (may be empty)
     * @param cause   the underlying exception, or {@code null}
     */
    public LakeException(Kind kind, String subject, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.subject = subject == null ? "" : subject;
        this.hint = hint == null ? "" : hint;
    }

    /** Same as the five-argument constructor, without a cause. */
    public LakeException(Kind kind, String subject, String message, String hint) {
        this(kind, subject, message, hint, null);
    }

    /** The failure class. */
    public Kind kind() {
        return kind;
    }

    /** The path, host or profile this failure concerns; empty when there is none. */
    public String subject() {
        return subject;
    }

    /**
     * This failure with another hint, e.g. the same fix said in the terms of whoever wrote the
     * configuration; kind, subject, message, cause and stack stay.
     */
    public LakeException withHint(String newHint) {
        LakeException e = new LakeException(kind, subject, getMessage(), newHint, getCause());
        e.setStackTrace(getStackTrace());
        for (Throwable s : getSuppressed()) {
            e.addSuppressed(s);
        }
        return e;
    }

    /** How to fix it, if known. */
    public Optional<String> hint() {
        return hint.isEmpty() ? Optional.empty() : Optional.of(hint);
    }
}
