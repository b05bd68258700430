package io.quantsinfra.lake.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Counts the bytes the SFTP subsystem serves through READ and fires armed one-shot connection cuts.
 *
 * <p>MINA calls {@link #read} after the data came off the disk but before the reply is sent, so closing the
 * session there keeps the reply that crossed a threshold from reaching the client.
 */
final class ReadFaults implements SftpEventListener {

    private final AtomicLong bytesRead = new AtomicLong();
    private final List<ReadCut> armedCuts = new CopyOnWriteArrayList<>();

    /** Arms a one-shot cut of the session once {@code bytes} bytes of a matching file have been read. */
    void cutAfterBytes(String pathSuffix, long bytes) {
        armedCuts.add(new ReadCut(pathSuffix, bytes));
    }

    /** Returns the total number of file bytes read for SFTP READ requests so far. */
    long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
            int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (readLen <= 0) {
            return;
        }
        bytesRead.addAndGet(readLen);
        String path = localHandle.getFile().toString();
        for (ReadCut cut : armedCuts) {
            if (path.endsWith(cut.pathSuffix) && cut.served.addAndGet(readLen) >= cut.threshold
                    && armedCuts.remove(cut)) {
                session.close(true);
            }
        }
    }

    /** One armed cut; the {@code served} counter starts when the cut is armed. */
    private static final class ReadCut {
        private final String pathSuffix;
        private final long threshold;
        private final AtomicLong served = new AtomicLong();

        ReadCut(String pathSuffix, long threshold) {
            this.pathSuffix = pathSuffix;
            this.threshold = threshold;
        }
    }
}
