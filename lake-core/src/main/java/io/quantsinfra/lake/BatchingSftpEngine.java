package io.quantsinfra.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.direct.SessionFactory;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * An sshj {@link SFTPEngine} that can send several requests in one SSH packet. sshj flushes
 * after every request, so each costs an encrypted packet and a socket write here, and a read,
 * a decryption and a turn of the event loop on the server: a small file's READ, FSTAT and
 * CLOSE go out together instead.
 */
final class BatchingSftpEngine extends SFTPEngine {

    BatchingSftpEngine(SessionFactory ssh) throws SSHException {
        super(ssh);
    }

    /** Sends {@code requests} in order with one flush, and returns the promises of their replies in the same order. */
    synchronized List<Promise<Response, SFTPException>> requestAll(List<Request> requests) throws IOException {
        List<Promise<Response, SFTPException>> replies = new ArrayList<>(requests.size());
        for (Request r : requests) {
            replies.add(reader.expectResponseTo(r.getRequestID()));
            int len = r.available();
            out.write(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
            out.write(r.array(), r.rpos(), len);
        }
        out.flush();
        return replies;
    }
}
