package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.remote.RemoteFs.Pacer;
import io.quantsinfra.lake.remote.RemoteFs.Reader;
import io.quantsinfra.lake.remote.RemoteFs.Sink;
import io.quantsinfra.lake.remote.RemoteFs.Transferred;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;

/**
 * One open remote file of {@link SshjRemoteFs}, streamed with pipelined READs: a window of them
 * in flight, each holding its share of the connection's READ budget until its reply is written,
 * at the READ size the server is known to answer. It holds one of its session's handle
 * permits until its CLOSE is sent.
 */
final class StreamingReader implements Reader {
    private final SftpSession sftp;
    private final String path;
    private final byte[] handle;
    private final SharedReadState state;
    private final SftpErrorMapper errors;
    /** READ requests kept in flight. */
    private final int readAhead;
    /** Whether the CLOSE went out: with the last requests of a small file, or from {@link #close}. */
    private boolean closed;

    private StreamingReader(SftpSession sftp, String path, byte[] handle, SharedReadState state, SftpErrorMapper errors,
                            int readAhead) {
        this.sftp = sftp;
        this.path = path;
        this.handle = handle;
        this.state = state;
        this.errors = errors;
        this.readAhead = readAhead;
    }

    /**
     * Opens {@code path} for reading, once one of its session's handle permits is free.
     *
     * @param sftp      the session to read on
     * @param state     the connection's READ budget and READ limit
     * @param errors    the connection's error mapping
     * @param readAhead READ requests kept in flight
     */
    static StreamingReader open(SftpSession sftp, String path, SharedReadState state, SftpErrorMapper errors,
                                int readAhead) throws IOException {
        sftp.handles().take(1, path);
        try {
            byte[] handle = errors.call(path, () -> sftp.await(sftp.request(sftp.openForReading(path)))
                    .expect(PacketType.HANDLE).readBytes());
            return new StreamingReader(sftp, path, handle, state, errors, readAhead);
        } catch (IOException | RuntimeException e) {
            sftp.handles().release(1);
            throw e;
        }
    }

    private Request request(PacketType type) {
        return sftp.newRequest(type).putString(handle);
    }

    /** A READ in flight, holding its share of the budget. */
    private record Pending(long offset, int length, SftpSession.PendingReply reply) {
    }

    @Override
    public Transferred transfer(long offset, long length, Pacer pacer, Sink sink) throws IOException {
        try {
            return pipeline(offset, length, pacer, sink);
        } catch (SinkFailure f) {
            throw f.getCause(); // the sink's own failure (local disk, cancellation), not the link's
        }
    }

    private Transferred pipeline(long offset, long length, Pacer pacer, Sink sink) throws IOException {
        return errors.call(path, () -> {
            long end = offset + length;
            // one byte past the expected end is asked for too: a file longer than its size
            // (growing, or a server reporting less than it sends) answers it with data
            long probeEnd = end + 1;
            long sent = offset;
            long delivered = 0;
            int size = state.readLimit().size();
            ArrayDeque<Pending> window = new ArrayDeque<>();
            SftpSession.PendingReply status = null;
            try {
                boolean eof = false;
                while (!eof && (sent < probeEnd || !window.isEmpty())) {
                    List<Request> batch = new ArrayList<>();
                    List<long[]> reads = new ArrayList<>(); // offset, length
                    try {
                        while (sent < probeEnd && window.size() + reads.size() < readAhead) {
                            int len = (int) Math.min(size, probeEnd - sent);
                            if (!mayRead(len, window.isEmpty() && reads.isEmpty(), pacer)) {
                                break; // go on with what is in flight: its replies free budget, and the rate allows more meanwhile
                            }
                            reads.add(new long[] {sent, len});
                            batch.add(request(PacketType.READ).putUInt64(sent).putUInt32(len));
                            sent += len;
                        }
                        // asked after the last READ: the server answers it after them, so the
                        // status it gives is the file's state once every byte was read
                        boolean askStatus = sent >= probeEnd && status == null;
                        if (askStatus) {
                            batch.add(request(PacketType.FSTAT));
                        }
                        // once every READ is out, the handle is needed no longer if a short reply can
                        // only mean that the file ended: a small file read whole by one READ, within
                        // every server's limit, or READs of a size this server was seen to answer in full
                        ReadLimit known = state.readLimit();
                        boolean closeNow = askStatus && (sent - offset <= RemoteFs.WHOLE_READ_MAX
                                ? reads.size() == 1 && window.isEmpty()
                                : size == known.size() && known.answeredInFull());
                        if (closeNow) {
                            batch.add(request(PacketType.CLOSE));
                        }
                        if (!batch.isEmpty()) {
                            List<SftpSession.PendingReply> replies = sftp.requestAll(batch);
                            for (int i = 0; i < reads.size(); i++) {
                                window.add(new Pending(reads.get(i)[0], (int) reads.get(i)[1], replies.get(i)));
                            }
                            reads.clear();
                            status = askStatus ? replies.get(replies.size() - (closeNow ? 2 : 1)) : status;
                            if (closeNow) {
                                release();
                            }
                        }
                    } finally {
                        reads.forEach(r -> state.releaseBudget(state.kib((int) r[1]))); // not sent
                    }
                    Pending head = window.poll();
                    int n;
                    try {
                        SftpReply res = sftp.await(head.reply());
                        if (res.type() == PacketType.STATUS) {
                            res.expectStatus(Response.StatusCode.EOF);
                            eof = true;
                            continue;
                        }
                        try {
                            ByteBuffer data = res.data(head.length());
                            n = data.remaining();
                            int wanted = (int) Math.max(0, Math.min(n, end - head.offset()));
                            try {
                                sink.accept(data.limit(wanted));
                            } catch (IOException e) {
                                throw new SinkFailure(e);
                            }
                        } finally {
                            res.release(); // written: its buffer may take the next reply
                        }
                    } finally {
                        // a READ's share of the budget covers its reply until it is written, so
                        // the replies held in buffers never exceed the budget, however many
                        // workers wait on a slow disk
                        state.releaseBudget(state.kib(head.length()));
                    }
                    delivered += n;
                    state.learn(head.length(), n, false);
                    if (head.offset() + n > end || n < head.length() && head.offset() + n >= end) {
                        eof = true; // past the expected end, or it ended exactly there
                        continue;
                    }
                    if (n < head.length() && closed) {
                        eof = true; // a READ within the server's limit came back short: the file ended
                        continue;
                    }
                    if (n < head.length()) {
                        // a short read: the server's limit is lower than ours, or the file ended.
                        // Drop the reads queued behind it and go on from here with its size. A
                        // limit no lower than every server must allow is kept for later files.
                        size = Math.max(1, n);
                        state.learn(head.length(), n, true);
                        drain(window);
                        sent = head.offset() + n;
                        status = null;
                    }
                }
                if (status == null) {
                    status = sftp.request(request(PacketType.FSTAT));
                }
                return new Transferred(delivered, SftpAttributes.read(path, sftp.await(status).expect(PacketType.ATTRS)));
            } finally {
                drain(window);
            }
        });
    }

    /**
     * Takes a READ's share of the budget and the pacer's leave to send it; whether both were
     * given. Only an {@code idle} file, with nothing in flight, waits for them.
     */
    private boolean mayRead(int len, boolean idle, Pacer pacer) throws IOException {
        // wait for the budget only while holding none of it: workers that each held a part and
        // waited for more could hold it all and wait for ever
        if (idle) {
            state.takeBudget(state.kib(len), path);
        } else if (!state.tryTakeBudget(state.kib(len))) {
            return false;
        }
        boolean paced = false;
        try {
            // the rate too is waited for only with nothing in flight: otherwise the replies of
            // what is are taken meanwhile, and the READ is tried again after each
            paced = pacer.pace(len, idle);
            return paced;
        } finally {
            if (!paced) {
                state.releaseBudget(state.kib(len));
            }
        }
    }

    private void drain(ArrayDeque<Pending> window) {
        for (Pending p : window) {
            sftp.discard(p.reply());
            state.releaseBudget(state.kib(p.length()));
        }
        window.clear();
    }

    @Override
    public int read(long offset, byte[] buf, int off, int len) throws IOException {
        return errors.call(path, () -> {
            SftpReply res = sftp.await(sftp.request(request(PacketType.READ).putUInt64(offset).putUInt32(len)));
            if (res.type() == PacketType.STATUS) {
                res.expectStatus(Response.StatusCode.EOF);
                return -1;
            }
            try {
                ByteBuffer data = res.data(len);
                int n = data.remaining();
                data.get(buf, off, n);
                return n;
            } finally {
                res.release();
            }
        });
    }

    /** Sends CLOSE, unless it went out already, and does not wait: the reply carries nothing the transfer needs. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (errors.connected()) {
                sftp.request(request(PacketType.CLOSE));
            }
        } catch (IOException | RuntimeException e) {
            // the link is going away; the server drops the handle with the session
        } finally {
            release();
        }
    }

    /** The handle is closed, or its CLOSE is on its way: its permit goes back, once. */
    private void release() {
        if (!closed) {
            closed = true;
            sftp.handles().release(1);
        }
    }
}
