package io.quantsinfra.lake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/** {@link RemoteFs} over one sshj SFTP session, shared by all worker threads. */
final class SshjRemoteFs implements RemoteFs {
    private final SSHClient ssh;
    private final SFTPClient sftp;
    private final String where;
    private final int readAhead;

    /**
     * @param ssh       a connected, authenticated client; closed with this
     * @param sftp      its SFTP session
     * @param where     {@code user@host:port}, for messages
     * @param readAhead READ requests kept in flight per file
     */
    SshjRemoteFs(SSHClient ssh, SFTPClient sftp, String where, int readAhead) {
        this.ssh = ssh;
        this.sftp = sftp;
        this.where = where;
        this.readAhead = readAhead;
    }

    /** An sshj call. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs an sshj call and maps its failures onto the contract of {@link RemoteFs}. After a
     * link failure sshj may also throw runtime exceptions (e.g. from its encoder, or
     * self-suppression in try-with-resources); with the transport gone, those mean the same.
     */
    private <T> T sshj(String path, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            throw translate(e, path);
        } catch (RuntimeException e) {
            if (!ssh.isConnected()) {
                throw new ConnectionLostException("connection to " + where + " lost: " + e, e);
            }
            throw e;
        }
    }

    @Override
    public List<Item> list(String dir) throws IOException {
        return sshj(dir, () -> {
            List<RemoteResourceInfo> infos = sftp.ls(dir);
            List<Item> items = new ArrayList<>(infos.size());
            for (RemoteResourceInfo info : infos) {
                items.add(item(info.getName(), info.getAttributes()));
            }
            return items;
        });
    }

    @Override
    public Item stat(String path) throws IOException {
        return sshj(path, () -> item(path, sftp.stat(path)));
    }

    @Override
    public String readLink(String path) throws IOException {
        return sshj(path, () -> sftp.readlink(path));
    }

    @Override
    public Reader open(String path) throws IOException {
        RemoteFile file = sshj(path, () -> sftp.open(path));
        return new Reader() {
            @Override
            public Item attributes() throws IOException {
                return sshj(path, () -> item(path, file.fetchAttributes()));
            }

            @Override
            public InputStream stream(long offset, long length) {
                InputStream in = file.new ReadAheadRemoteFileInputStream(readAhead, offset, length);
                return new java.io.FilterInputStream(in) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return sshj(path, () -> in.read(b, off, len));
                    }
                };
            }

            @Override
            public int read(long offset, byte[] buf, int off, int len) throws IOException {
                return sshj(path, () -> file.read(offset, buf, off, len));
            }

            @Override
            public void close() throws IOException {
                if (ssh.isConnected()) {
                    sshj(path, () -> {
                        file.close();
                        return null;
                    });
                }
            }
        };
    }

    @Override
    public void close() {
        try {
            if (ssh.isConnected()) {
                sftp.close();
            }
        } catch (IOException | RuntimeException e) {
            // the session ends with the transport below
        } finally {
            try {
                ssh.disconnect();
            } catch (IOException | RuntimeException e) {
                // already disconnected
            }
        }
    }

    /** Maps sshj's errors onto the contract of {@link RemoteFs}. */
    private IOException translate(IOException e, String path) {
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
        // A status-less SFTP error ("Broken transport", timeouts) comes from the link, not from the
        // server's answer; sshj may report it before the transport is marked disconnected.
        boolean noServerStatus = e instanceof SFTPException s && s.getStatusCode() == Response.StatusCode.UNKNOWN;
        if (noServerStatus || !(e instanceof SFTPException) || !ssh.isConnected()) {
            return new ConnectionLostException("connection to " + where + " lost: " + e.getMessage(), e);
        }
        return e;
    }

    private static Item item(String name, FileAttributes a) {
        FileMode.Type t = a.getType();
        EntryType type = t == FileMode.Type.REGULAR ? EntryType.FILE : t == FileMode.Type.DIRECTORY ? EntryType.DIRECTORY
                : t == FileMode.Type.SYMLINK ? EntryType.SYMLINK : EntryType.OTHER;
        return new Item(name, type, a.getSize(), a.getMtime(), a.getMode().getPermissionsMask());
    }
}
