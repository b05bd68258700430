package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

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
            byte[] handle = errors.call(path, () -> sftp.await(sftp.request(openForReading(sftp, path)))
                    .expect(PacketType.HANDLE).readBytes());
            return new PipelinedReader(sftp, path, handle);
        } catch (IOException | RuntimeException e) {
            state.releaseHandles(1);
            throw e;
        }
    }

    @Override
    public List<Whole> readWhole(List<WholeRead> reads) throws IOException {
        SftpSession sftp = channel();
        state.takeHandles(reads.size(), reads.size() + " files");
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable closesSent = () -> {
            if (held.getAndSet(false)) {
                state.releaseHandles(reads.size()); // every handle's CLOSE is sent, or it never opened
            }
        };
        try {
            return errors.call(reads.get(0).path(), () -> readWhole(sftp, reads, closesSent));
        } finally {
            closesSent.run();
        }
    }

    /** A file of {@link #readWhole} whose OPEN was answered, and where its replies are. */
    private record Opened(int index, byte[] handle, WholePieces pieces, List<long[]> reads, int firstReply, boolean closedAtOnce) {
    }

    /**
     * OPENs in one packet; then READs, FSTATs and CLOSEs in one. The handles' permits go back
     * ({@code closesSent}) once the CLOSEs are out, not when they are answered: a server works
     * through a channel's requests in order, so it has closed them before it opens anything asked
     * for later, and a handle counts against the bound for one round trip instead of two.
     *
     * <p>The READ budget is taken once the files are open, so that it is not held through the
     * OPENs' round trip. Small files' bytes are views of their replies' own arrays, which the
     * caller bounds: their budget goes back on return. Larger ones stay in shared reply buffers,
     * and each keeps its share until its result is closed.
     *
     * <p>A file longer than one READ is read in READs of the size the server is known to answer
     * (see {@link SharedReadState#readLimit()}). Until it was seen to answer that size in full, a short reply may
     * leave a gap before the next one: such a file's CLOSE waits until the gaps are asked for.
     */
    private List<Whole> readWhole(SftpSession sftp, List<WholeRead> reads, Runnable closesSent) throws IOException {
        boolean holds = reads.stream().anyMatch(r -> RemoteFs.holdsBudget(r.length()));
        int[] shares = reads.stream().mapToInt(r -> state.kib(r.length())).toArray();
        int kib = Arrays.stream(shares).sum();
        if (kib > state.budgetKib()) {
            throw new IllegalArgumentException("reads of " + kib + " KiB at once, over the READ budget of " + state.budgetKib());
        }
        List<Request> opens = new ArrayList<>();
        for (WholeRead r : reads) {
            opens.add(openForReading(sftp, r.path()));
        }
        List<SftpSession.PendingReply> handles = sftp.requestAll(opens);
        ReadLimit known = state.readLimit();
        Whole[] out = new Whole[reads.size()];
        List<Opened> opened = new ArrayList<>();
        List<Request> rest = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            try {
                byte[] handle = sftp.await(handles.get(i)).expect(PacketType.HANDLE).readBytes();
                int length = reads.get(i).length();
                // a short reply can only mean that the file ended: one READ within every server's
                // limit, or READs of a size this server answered in full
                boolean closeAtOnce = length <= WHOLE_READ_MAX || known.answeredInFull();
                WholePieces pieces = new WholePieces(length);
                List<long[]> asked = pieces.gapReads(known.size()); // nothing here yet: the whole length
                opened.add(new Opened(i, handle, pieces, asked, rest.size(), closeAtOnce));
                rest.addAll(readRequests(sftp, handle, asked));
                rest.add(sftp.newRequest(PacketType.FSTAT).putString(handle));
                if (closeAtOnce) {
                    rest.add(sftp.newRequest(PacketType.CLOSE).putString(handle));
                }
            } catch (SFTPException e) {
                out[i] = Whole.failed(errors.mapped(e, reads.get(i).path()));
            }
        }
        List<Request> laterCloses = new ArrayList<>();
        List<SftpReply> taken = new ArrayList<>(); // every reply whose bytes may be in a buffer
        boolean handedOut = false;
        state.takeBudget(kib, reads.size() + " files"); // holding no other budget: nothing waits on this worker
        try {
            List<SftpSession.PendingReply> replies = rest.isEmpty() ? List.of() : sftp.requestAll(rest);
            if (opened.stream().allMatch(Opened::closedAtOnce)) {
                closesSent.run();
            }
            for (Opened o : opened) {
                String path = reads.get(o.index()).path();
                List<SftpReply> mine = new ArrayList<>();
                int k = 0;
                try {
                    WholePieces pieces = o.pieces();
                    for (; k < o.reads().size(); k++) {
                        SftpReply res = sftp.await(replies.get(o.firstReply() + k));
                        mine.add(res);
                        taken.add(res);
                        pieces.add(o.reads().get(k)[0], (int) o.reads().get(k)[1], res);
                    }
                    SftpReply status = sftp.await(replies.get(o.firstReply() + o.reads().size()));
                    pieces.tellSizes(state::learn);
                    if (o.closedAtOnce()) {
                        sftp.await(replies.get(o.firstReply() + o.reads().size() + 1)); // a failed CLOSE fails the file
                    } else if (pieces.hasGaps()) {
                        status = fillGaps(sftp, o.handle(), pieces, mine, taken);
                    }
                    Item attrs = SftpAttributes.read(path, status.expect(PacketType.ATTRS));
                    int share = shares[o.index()];
                    out[o.index()] = new Whole(pieces.fromStart(), attrs, null,
                            holds ? releaseOnce(mine, () -> state.releaseBudget(share)) : NOTHING);
                } catch (SFTPException e) {
                    mine.forEach(SftpReply::release);
                    for (k++; k < o.reads().size(); k++) {
                        sftp.discard(replies.get(o.firstReply() + k)); // READs behind the one that failed
                    }
                    out[o.index()] = Whole.failed(errors.mapped(e, path));
                } finally {
                    if (!o.closedAtOnce()) {
                        laterCloses.add(sftp.newRequest(PacketType.CLOSE).putString(o.handle()));
                    }
                }
            }
            if (!laterCloses.isEmpty()) {
                sftp.requestAll(laterCloses); // not waited for: the bytes are here
            }
            handedOut = true;
        } finally {
            closesSent.run();
            if (!handedOut) {
                taken.forEach(SftpReply::release); // the link failed: nothing is handed out
                state.releaseBudget(kib);
            }
        }
        if (!holds) {
            state.releaseBudget(kib);
        } else {
            for (int i = 0; i < out.length; i++) {
                if (out[i].error() != null) {
                    state.releaseBudget(shares[i]); // a failed file holds nothing
                }
            }
        }
        return List.of(out);
    }

    private static final Runnable NOTHING = () -> { };

    /** Gives the replies back, and the file's share of the budget ({@code budgetBack}), once. */
    private static Runnable releaseOnce(List<SftpReply> replies, Runnable budgetBack) {
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                replies.forEach(SftpReply::release);
                budgetBack.run();
            }
        };
    }

    /**
     * Asks for what short replies left out, with READs of the size the server gave, until the
     * bytes from the start are whole or the file ends; then for the file's status again, as it
     * is after these READs.
     */
    private SftpReply fillGaps(SftpSession sftp, byte[] handle, WholePieces pieces, List<SftpReply> mine,
                               List<SftpReply> taken) throws IOException {
        while (pieces.hasGaps()) {
            List<long[]> asked = pieces.gapReads(state.readLimit().size());
            List<SftpSession.PendingReply> replies = sftp.requestAll(readRequests(sftp, handle, asked));
            long before = pieces.whole();
            for (int k = 0; k < asked.size(); k++) {
                SftpReply res = sftp.await(replies.get(k));
                mine.add(res);
                taken.add(res);
                pieces.add(asked.get(k)[0], (int) asked.get(k)[1], res);
            }
            pieces.tellSizes(state::learn);
            if (pieces.whole() == before) {
                break; // nothing more came from where the bytes stop: take what is whole
            }
        }
        return sftp.await(sftp.request(sftp.newRequest(PacketType.FSTAT).putString(handle)));
    }

    /** READs on {@code handle} of the {@code asked} (offset, length) pairs. */
    private static List<Request> readRequests(SftpSession sftp, byte[] handle, List<long[]> asked) {
        List<Request> out = new ArrayList<>();
        for (long[] a : asked) {
            out.add(sftp.newRequest(PacketType.READ).putString(handle).putUInt64(a[0]).putUInt32((int) a[1]));
        }
        return out;
    }

    /** An OPEN of {@code path} for reading. */
    private static Request openForReading(SftpSession sftp, String path) {
        return sftp.newRequest(PacketType.OPEN).putString(path, sftp.charset())
                .putUInt32(OpenMode.toMask(EnumSet.of(OpenMode.READ))).putFileAttributes(FileAttributes.EMPTY);
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
