package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.LoggerFactory;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.sftp.SFTPPacket;

/**
 * One SFTP session (version 3) on its own channel: requests go out through the channel, and
 * replies, read by {@link SftpReplyChannel} as they arrive, are matched to them by request id.
 * Several requests can go out in one SSH packet: each costs an encrypted packet and a socket
 * write here, and a read, a decryption and a turn of the event loop on the server, so a small
 * file's READ, FSTAT and CLOSE go out together.
 */
final class SftpSession implements SftpReplyChannel.Replies {
    private static final int VERSION = 3;

    private final OutputStream out;
    private final Charset charset;
    private final int timeoutMs;
    private final LoggerFactory loggers;
    /** The remote handles this session may hold open: its own, or its connection's. */
    private final HandlePermits handles;
    private final Map<Long, PendingReply> waiting = new ConcurrentHashMap<>();
    /** Requests whose replies nobody will read: dropped as they come, their buffers given back. */
    private final Set<Long> discarded = ConcurrentHashMap.newKeySet();
    /** The server's VERSION, the one message without a request id. */
    private final PendingReply version;
    /** Whether the first message, the VERSION, came: read for every reply without the promise's lock. */
    private volatile boolean versionCame;
    /** Guarded by this. */
    private long lastId;
    /** Why no more replies come, once that is so. */
    private volatile IOException broken;

    /**
     * A session that sends its requests to {@code out}; its replies come through {@link #reply}.
     *
     * @param charset   the character set of remote names
     * @param timeoutMs how long to wait for any reply
     * @param handles   the remote handles it may hold open
     */
    SftpSession(OutputStream out, Charset charset, LoggerFactory loggers, int timeoutMs, HandlePermits handles) {
        this.out = out;
        this.handles = handles;
        this.charset = charset;
        this.timeoutMs = timeoutMs;
        this.loggers = loggers;
        this.version = new PendingReply(-1, loggers);
    }

    /**
     * Opens a session on {@code ssh}'s connection; {@link #init} must follow.
     *
     * @param buffers   where large replies go
     * @param timeoutMs how long to wait for any reply
     * @param handles   the remote handles it may hold open
     */
    static SftpSession open(SSHClient ssh, ReplyBuffers buffers, int timeoutMs, HandlePermits handles) throws IOException {
        SftpReplyChannel channel = SftpReplyChannel.open(ssh.getConnection(), ssh.getRemoteCharset(), buffers);
        channel.startSubsystem("sftp");
        SftpSession session = new SftpSession(channel.getOutputStream(), channel.getRemoteCharset(), channel.getLoggerFactory(), timeoutMs,
                handles);
        channel.deliverTo(session);
        return session;
    }

    /** The remote handles this session may hold open: taken before an OPEN or OPENDIR is sent. */
    HandlePermits handles() {
        return handles;
    }

    /** Agrees on the protocol with the server: one round trip. */
    void init() throws IOException {
        SFTPPacket<Request> hello = new SFTPPacket<Request>(PacketType.INIT).putUInt32(VERSION);
        synchronized (this) {
            write(hello);
            out.flush();
        }
        SftpReply reply = await(version);
        if (reply.type() != PacketType.VERSION) {
            throw new SFTPException("the server answered INIT with " + reply.type() + " instead of VERSION");
        }
        if (reply.id() != VERSION) { // a VERSION's id is the version
            throw new SFTPException("the server speaks SFTP version " + reply.id() + "; this client speaks " + VERSION);
        }
    }

    /** The character set of remote names. */
    Charset charset() {
        return charset;
    }

    /** A new request of {@code type}, with its id. */
    synchronized Request newRequest(PacketType type) {
        lastId = (lastId + 1) & 0xffffffffL;
        return new Request(type, lastId);
    }

    /** The reply to one request, once it comes. */
    static final class PendingReply extends Promise<SftpReply, SFTPException> {
        private final long id;

        private PendingReply(long id, LoggerFactory loggers) {
            super("sftp", SFTPException.chainer, loggers);
            this.id = id;
        }
    }

    /** Sends {@code request}; the promise of its reply. */
    PendingReply request(Request request) throws IOException {
        return requestAll(List.of(request)).get(0);
    }

    /** Sends {@code requests} in order with one flush, and returns the promises of their replies in the same order. */
    synchronized List<PendingReply> requestAll(List<Request> requests) throws IOException {
        List<PendingReply> replies = new ArrayList<>(requests.size());
        try {
            for (Request r : requests) {
                replies.add(expect(r.getRequestID()));
                write(r);
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            for (Request r : requests) {
                waiting.remove(r.getRequestID()); // nobody waits for them
            }
            throw e;
        }
        return replies;
    }

    private void write(Buffer<?> packet) throws IOException {
        int len = packet.available();
        out.write(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        out.write(packet.array(), packet.rpos(), len);
    }

    /** Waits for a reply, as long as the session's timeout allows. */
    SftpReply await(PendingReply reply) throws SFTPException {
        return reply.retrieve(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Drops a reply nobody will read (READs queued behind a short read or a failed transfer),
     * whether it came already or comes later: a large one holds a buffer of {@link ReplyBuffers}.
     */
    void discard(PendingReply reply) {
        discarded.add(reply.id); // before it leaves the waiting ones: a reply arriving between is dropped, not taken for unasked
        if (waiting.remove(reply.id, reply)) {
            if (broken != null) {
                discarded.remove(reply.id); // no reply comes any more
            }
            return;
        }
        discarded.remove(reply.id);
        try {
            await(reply).release(); // delivered, or being delivered right now
        } catch (SFTPException e) {
            // failed: there is no buffer
        }
    }

    /** A new OPEN of {@code path} for reading. */
    Request openForReading(String path) {
        return newRequest(PacketType.OPEN).putString(path, charset())
                .putUInt32(OpenMode.toMask(EnumSet.of(OpenMode.READ))).putFileAttributes(FileAttributes.EMPTY);
    }

    /** The status of {@code path}, following links. */
    RemoteFs.Item stat(String path) throws IOException {
        Request r = newRequest(PacketType.STAT).putString(path, charset());
        return SftpAttributes.read(path, await(request(r)).expect(PacketType.ATTRS));
    }

    /**
     * The target of the link at {@code path}, decoded strictly: a lossy decoding would recreate the
     * link pointing at a name that is not on the remote.
     *
     * @throws CharacterCodingException when the target is not valid UTF-8
     */
    String readLink(String path) throws IOException {
        Buffer<?> name = await(request(newRequest(PacketType.READLINK).putString(path, charset()))).expect(PacketType.NAME);
        if (name.readUInt32AsInt() != 1) {
            throw new SFTPException("the server answered READLINK of " + path + " with other than one name");
        }
        Optional<String> target = WireNames.utf8(name.readBytes());
        if (target.isEmpty()) {
            throw new CharacterCodingException();
        }
        return target.get();
    }

    /** A promise of the reply to {@code id}, answered with an error at once if none can come. */
    private PendingReply expect(long id) {
        PendingReply promise = new PendingReply(id, loggers);
        waiting.put(id, promise);
        IOException cause = broken;
        if (cause != null && waiting.remove(id, promise)) {
            promise.deliverError(cause);
        }
        return promise;
    }

    @Override
    public void reply(SftpReply reply) throws SFTPException {
        if (!versionCame) {
            versionCame = true;
            version.deliver(reply);
            return;
        }
        PendingReply promise = waiting.remove(reply.id());
        if (promise == null) {
            reply.release();
            if (discarded.remove(reply.id())) {
                return;
            }
            throw new SFTPException("the server sent a " + reply.type() + " reply to request " + reply.id()
                    + ", which was never made");
        }
        promise.deliver(reply);
    }

    @Override
    public void fail(IOException cause) {
        if (broken == null) {
            broken = cause;
        }
        if (!version.isFulfilled()) {
            version.deliverError(cause);
        }
        discarded.clear();
        for (Long id : waiting.keySet()) {
            PendingReply promise = waiting.remove(id);
            if (promise != null) {
                promise.deliverError(cause);
            }
        }
    }
}
