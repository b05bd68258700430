package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;

/**
 * {@link RemoteFs} over one sshj connection with several SFTP sessions ({@link SftpSession}),
 * shared by all worker threads. Requests are sent without waiting for each other's replies: the
 * OPEN, then a window of READs, the FSTAT and the CLOSE, so a small file costs two round trips
 * and a large one streams at the link's speed.
 *
 * <p>Each call takes the next session in turn and hands it to the piece that does the work:
 * {@link RemoteLister} lists, {@link WholeFileReader} reads small files whole in groups and
 * {@link StreamingReader} streams larger ones. They share the connection's handle permits, READ
 * budget and READ limit ({@link SharedReadState}) and its error mapping ({@link SftpErrorMapper}).
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
     * @param memory       the READ budget, shared with the connector's other connections
     * @param roundTrip    the round trip measured while connecting
     */
    SshjRemoteFs(SSHClient ssh, List<SftpSession> channels, String where, int readAhead, ReadMemory memory,
                 Duration roundTrip) {
        this.ssh = ssh;
        this.channels = List.copyOf(channels);
        this.readAhead = readAhead;
        this.roundTrip = roundTrip;
        this.state = new SharedReadState(memory);
        this.errors = new SftpErrorMapper(ssh, where, this::close);
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

    /** Opens a file to stream (see {@link StreamingReader}). */
    @Override
    public Reader open(String path) throws IOException {
        return StreamingReader.open(channel(), path, state, errors, readAhead);
    }

    /** Reads files whole in one group (see {@link WholeFileReader}). */
    @Override
    public List<Whole> readWhole(List<WholeRead> reads) throws IOException {
        return wholeReader.readWhole(channel(), reads);
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
