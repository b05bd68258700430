package io.quantsinfra.lake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.LoggerFactory;
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

    private final SftpReplyChannel channel;
    private final OutputStream out;
    private final int timeoutMs;
    private final LoggerFactory loggers;
    private final Map<Long, Promise<SftpReply, SFTPException>> waiting = new ConcurrentHashMap<>();
    /** The server's VERSION, the one message without a request id. */
    private final Promise<SftpReply, SFTPException> version;
    /** Guarded by this. */
    private long lastId;
    /** Why no more replies come, once that is so. */
    private volatile IOException broken;

    private SftpSession(SftpReplyChannel channel, int timeoutMs) {
        this.channel = channel;
        this.out = channel.getOutputStream();
        this.timeoutMs = timeoutMs;
        this.loggers = channel.getLoggerFactory();
        this.version = new Promise<>("sftp / version", SFTPException.chainer, loggers);
        channel.deliverTo(this);
    }

    /**
     * Opens a session on {@code ssh}'s connection; {@link #init} must follow.
     *
     * @param buffers   where large replies go
     * @param timeoutMs how long to wait for any reply
     */
    static SftpSession open(SSHClient ssh, ReplyBuffers buffers, int timeoutMs) throws IOException {
        SftpReplyChannel channel = SftpReplyChannel.open(ssh.getConnection(), ssh.getRemoteCharset(), buffers);
        channel.startSubsystem("sftp");
        return new SftpSession(channel, timeoutMs);
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
        return channel.getRemoteCharset();
    }

    /** A new request of {@code type}, with its id. */
    synchronized Request newRequest(PacketType type) {
        lastId = (lastId + 1) & 0xffffffffL;
        return new Request(type, lastId);
    }

    /** Sends {@code request}; the promise of its reply. */
    Promise<SftpReply, SFTPException> request(Request request) throws IOException {
        return requestAll(List.of(request)).get(0);
    }

    /** Sends {@code requests} in order with one flush, and returns the promises of their replies in the same order. */
    synchronized List<Promise<SftpReply, SFTPException>> requestAll(List<Request> requests) throws IOException {
        List<Promise<SftpReply, SFTPException>> replies = new ArrayList<>(requests.size());
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
    SftpReply await(Promise<SftpReply, SFTPException> reply) throws SFTPException {
        return reply.retrieve(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The status of {@code path}, following links. */
    RemoteFs.Item stat(String path) throws IOException {
        Request r = newRequest(PacketType.STAT).putString(path, charset());
        return SftpAttributes.read(path, await(request(r)).expect(PacketType.ATTRS));
    }

    /** The target of the link at {@code path}. */
    String readLink(String path) throws IOException {
        Buffer<?> name = await(request(newRequest(PacketType.READLINK).putString(path, charset()))).expect(PacketType.NAME);
        if (name.readUInt32AsInt() != 1) {
            throw new SFTPException("the server answered READLINK of " + path + " with other than one name");
        }
        return name.readString(charset());
    }

    /** A promise of the reply to {@code id}, answered with an error at once if none can come. */
    private Promise<SftpReply, SFTPException> expect(long id) {
        Promise<SftpReply, SFTPException> promise = new Promise<>("sftp / " + id, SFTPException.chainer, loggers);
        waiting.put(id, promise);
        IOException cause = broken;
        if (cause != null && waiting.remove(id, promise)) {
            promise.deliverError(cause);
        }
        return promise;
    }

    @Override
    public void reply(SftpReply reply) throws SFTPException {
        if (!version.isFulfilled()) {
            version.deliver(reply);
            return;
        }
        Promise<SftpReply, SFTPException> promise = waiting.remove(reply.id());
        if (promise == null) {
            reply.release();
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
        for (Long id : waiting.keySet()) {
            Promise<SftpReply, SFTPException> promise = waiting.remove(id);
            if (promise != null) {
                promise.deliverError(cause);
            }
        }
    }
}
