package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One profile's {@link RemoteFs} over a connection it may share with other profiles
 * ({@link SftpConnection}), used by all its worker threads. Requests are sent without waiting
 * for each other's replies: the OPEN, then a window of READs, the FSTAT and the CLOSE, so a
 * small file costs two round trips and a large one streams at the link's speed.
 *
 * <p>Each call takes the connection's next SFTP session in turn and hands it to the piece that
 * does the work: {@link RemoteLister} lists, {@link WholeFileReader} reads small files whole in
 * groups and {@link StreamingReader} streams larger ones, with this profile's read-ahead.
 * Closing gives the profile's hold on the connection back; the last holder disconnects.
 */
final class SshjRemoteFs implements RemoteFs {
    private final SharedConnections.Lease<SftpConnection> lease;
    private final SftpConnection connection;
    private final int readAhead;

    /**
     * @param lease     this profile's hold on the connection; given back by {@link #close}
     * @param readAhead READ requests kept in flight per file
     */
    SshjRemoteFs(SharedConnections.Lease<SftpConnection> lease, int readAhead) {
        this.lease = lease;
        this.connection = lease.connection();
        this.readAhead = readAhead;
    }

    @Override
    public Duration roundTrip() {
        return connection.roundTrip();
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
        return connection.lister().listAll(connection.channel(), dirs);
    }

    @Override
    public Item stat(String path) throws IOException {
        return connection.errors().call(path, () -> connection.channel().stat(path));
    }

    @Override
    public String readLink(String path) throws IOException {
        return connection.errors().call(path, () -> connection.channel().readLink(path));
    }

    /** Opens a file to stream (see {@link StreamingReader}). */
    @Override
    public Reader open(String path) throws IOException {
        return StreamingReader.open(connection.channel(), path, connection.state(), connection.errors(), readAhead);
    }

    /** Reads files whole in one group (see {@link WholeFileReader}). */
    @Override
    public List<Whole> readWhole(List<WholeRead> reads) throws IOException {
        return connection.wholeReader().readWhole(connection.channel(), reads);
    }

    /** Gives this profile's hold on the connection back: the last one disconnects. */
    @Override
    public void close() {
        lease.close();
    }
}
