package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;

/**
 * {@link RemoteFs} over one sshj connection with several SFTP sessions ({@link SftpSession}),
 * shared by all worker threads. Requests are sent without waiting for each other's replies: the
 * OPEN, then a window of READs, the FSTAT and the CLOSE, so a small file costs two round trips
 * and a large one streams at the link's speed.
 */
final class SshjRemoteFs implements RemoteFs {
    private final SSHClient ssh;
    private final List<SftpSession> channels;
    private final AtomicInteger next = new AtomicInteger();
    private final int readAhead;
    private final Duration roundTrip;
    private final SharedReadState state;
    private final SftpErrorMapper errors;
    private final RemoteLister lister;
    private final WholeFileReader wholeReader;

    /**
     * @param ssh          a connected, authenticated client; closed with this
     * @param channels     its SFTP sessions, used in turn
     * @param where        {@code user@host:port}, for messages
     * @param readAhead    READ requests kept in flight per file
     * @param budgetBytes  READ reply bytes in flight across all files, which bounds memory
     * @param roundTrip    the round trip measured while connecting
     */
    SshjRemoteFs(SSHClient ssh, List<SftpSession> channels, String where, int readAhead, long budgetBytes,
                 Duration roundTrip) {
        this.ssh = ssh;
        this.channels = List.copyOf(channels);
        this.readAhead = readAhead;
        this.roundTrip = roundTrip;
        this.state = new SharedReadState(budgetBytes);
        this.errors = new SftpErrorMapper(ssh, where);
        this.lister = new RemoteLister(state, errors);
        this.wholeReader = new WholeFileReader(state, errors);
    }

    @Override
    public Duration roundTrip() {
        return roundTrip;
    }

    private SftpSession channel() {
        return channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    }

    @Override
    public List<Item> list(String dir) throws IOException {
        Listing listing = listAll(List.of(dir)).get(0);
        if (listing.error() != null) {
            throw listing.error();
        }
        return listing.items();
    }

    /** Lists directories in about as many round trips as one (see {@link RemoteLister}). */
    @Override
    public List<Listing> listAll(List<String> dirs) throws IOException {
        return lister.listAll(channel(), dirs);
    }

    @Override
    public Item stat(String path) throws IOException {
        return errors.call(path, () -> channel().stat(path));
    }

    @Override
    public String readLink(String path) throws IOException {
        return errors.call(path, () -> channel().readLink(path));
    }

    @Override
    public Reader open(String path) throws IOException {
        SftpSession sftp = channel();
        state.takeHandles(1, path);
        try {
            byte[] handle = errors.call(path, () -> sftp.await(sftp.request(sftp.openForReading(path)))
                    .expect(PacketType.HANDLE).readBytes());
            return new PipelinedReader(sftp, path, handle);
        } catch (IOException | RuntimeException e) {
            state.releaseHandles(1);
            throw e;
        }
    }

    /** Reads files whole in one group (see {@link WholeFileReader}). */
    @Override
    public List<Whole> readWhole(List<WholeRead> reads) throws IOException {
        return wholeReader.readWhole(channel(), reads);
    }

    /** One open file, read with pipelined requests. */
    private final class PipelinedReader implements Reader {
        private final SftpSession sftp;
        private final String path;
        private final byte[] handle;
        /** Whether the CLOSE went out: with the last requests of a small file, or from {@link #close}. */
        private boolean closed;

        PipelinedReader(SftpSession sftp, String path, byte[] handle) {
            this.sftp = sftp;
            this.path = path;
            this.handle = handle;
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
                            boolean closeNow = askStatus && (sent - offset <= WHOLE_READ_MAX
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
                state.releaseHandles(1);
            }
        }
    }

    /**
     * Ends the connection without closing the SFTP channels one by one: each CLOSE waits a round
     * trip for its reply, and the server drops the channels and their handles with the
     * connection anyway. The file handles' CLOSE requests were sent before, in order.
     */
    @Override
    public void close() {
        try {
            ssh.disconnect();
        } catch (IOException | RuntimeException e) {
            // already disconnected
        }
    }
}
