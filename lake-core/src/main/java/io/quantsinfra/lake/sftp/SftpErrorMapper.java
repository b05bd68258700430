package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.ConnectionLostException;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Maps one connection's sshj failures onto the error contract of {@link RemoteFs}: a path's own
 * failure (missing, denied) apart from the link's. Whether the connection is still up decides
 * between the two, so this is also where callers ask it, and where the connection hears that its
 * link is lost. A wait cut short by an interrupt is the caller's doing, not the link's.
 */
final class SftpErrorMapper {
    private final SSHClient ssh;
    private final String where;
    private final Runnable linkLost;

    /**
     * @param ssh      the connection whose failures are mapped
     * @param where    {@code user@host:port}, for messages
     * @param linkLost told each time a failure is mapped to a lost link (a {@link ConnectionLostException})
     */
    SftpErrorMapper(SSHClient ssh, String where, Runnable linkLost) {
        this.ssh = ssh;
        this.where = where;
        this.linkLost = linkLost;
    }

    /** An sshj call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    /** Whether the connection is still up. */
    boolean connected() {
        return ssh.isConnected();
    }

    /**
     * Runs an sshj call and maps its failures onto the contract of {@link RemoteFs}. After a
     * link failure sshj may also throw runtime exceptions (e.g. from its encoder, or
     * self-suppression in try-with-resources); with the transport gone, those mean the same.
     */
    <T> T call(String path, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            throw translate(e, path);
        } catch (SinkFailure e) {
            throw e;
        } catch (RuntimeException e) {
            if (!ssh.isConnected()) {
                linkLost.run();
                throw new ConnectionLostException("connection to " + where + " lost: " + e, e);
            }
            throw e;
        }
    }

    /**
     * One path's own failure, as {@link RemoteFs} reports it; if the link is what failed, or the
     * wait was interrupted, that is thrown instead: it ends the whole call.
     */
    IOException mapped(SFTPException e, String path) throws IOException {
        IOException mapped = translate(e, path);
        if (mapped instanceof ConnectionLostException || mapped instanceof InterruptedIOException) {
            throw mapped;
        }
        return mapped;
    }

    /** Maps sshj's errors onto the contract of {@link RemoteFs}, telling {@link #linkLost} of a lost link. */
    private IOException translate(IOException e, String path) {
        IOException mapped = classify(e, path);
        if (mapped instanceof ConnectionLostException) {
            linkLost.run();
        }
        return mapped;
    }

    private IOException classify(IOException e, String path) {
        if (e instanceof SFTPException s) {
            Response.StatusCode code = s.getStatusCode();
            if (code == Response.StatusCode.NO_SUCH_FILE || code == Response.StatusCode.NO_SUCH_PATH) {
                NoSuchFileException n = new NoSuchFileException(path, null, "no such file on " + where);
                n.initCause(e);
                return n;
            }
            if (code == Response.StatusCode.PERMISSION_DENIED) {
                AccessDeniedException a = new AccessDeniedException(path, null, "permission denied on " + where);
                a.initCause(e);
                return a;
            }
        }
        if (e instanceof ConnectionLostException || e instanceof CharacterCodingException) {
            return e; // the latter: a link's target that is not text, the link's own problem
        }
        if (e instanceof InterruptedIOException) {
            return e;
        }
        if (e.getCause() instanceof InterruptedException) {
            // sshj wraps an interrupted wait (for a reply, for window space) in an exception without a
            // status, which would read as a lost link: a cancelled run would break a connection others use
            Thread.currentThread().interrupt(); // the wait cleared the flag
            InterruptedIOException i = new InterruptedIOException("interrupted while waiting for " + where);
            i.initCause(e);
            return i;
        }
        // A status-less SFTP error ("Broken transport", timeouts) comes from the link, not from the
        // server's answer; sshj may report it before the transport is marked disconnected.
        boolean noServerStatus = e instanceof SFTPException s && s.getStatusCode() == Response.StatusCode.UNKNOWN;
        if (noServerStatus || !(e instanceof SFTPException) || !ssh.isConnected()) {
            return new ConnectionLostException("connection to " + where + " lost: " + e.getMessage(), e);
        }
        return e;
    }
}
