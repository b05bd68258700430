package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.LakeException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The documented exit codes of {@code quants-infra}; README.md has the same table. */
final class ExitCode {
    /** Everything worked. */
    static final int OK = 0;
    /** Some files or profiles failed; the rest worked. */
    static final int PARTIAL = 1;
    /** Bad command-line usage or an invalid config. */
    static final int USAGE = 2;
    /** Could not connect or authenticate: network, host key, credentials, missing remote_root. */
    static final int CONNECTION = 3;
    /** Another run holds the profile's lock. */
    static final int LOCKED = 4;
    /** Local storage error: disk full, local directory not writable; or out of memory. */
    static final int LOCAL_STORAGE = 5;
    /** Stopped by SIGINT or SIGTERM; the checkpoint says interrupted and the next run resumes. */
    static final int INTERRUPTED = 130;
    /** A bug: an unexpected error. */
    static final int INTERNAL = 70;

    private ExitCode() {
    }

    /** Each code with what it means, as {@code --help} lists them. */
    static Map<Integer, String> described() {
        Map<Integer, String> codes = new LinkedHashMap<>();
        codes.put(OK, "everything worked");
        codes.put(PARTIAL, "some files or profiles failed, the rest worked; the next run retries");
        codes.put(USAGE, "bad command line or invalid config");
        codes.put(CONNECTION, "could not connect or log in: network, host key, credentials, remote_root");
        codes.put(LOCKED, "another run holds the profile's lock");
        codes.put(LOCAL_STORAGE, "local storage (disk full, not writable, symlinked profile directory) or out of memory");
        codes.put(INTERNAL, "a bug: please report it with the --verbose output");
        codes.put(INTERRUPTED, "stopped by SIGINT or SIGTERM; the next run resumes");
        return codes;
    }

    /** The exit code for a library failure. */
    static int of(LakeException.Kind kind) {
        return switch (kind) {
            case CONFIG -> USAGE;
            case CONNECTION -> CONNECTION;
            case LOCKED -> LOCKED;
            case LOCAL_IO -> LOCAL_STORAGE;
        };
    }
}
