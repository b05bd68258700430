package io.quantsinfra.lake.sftp;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * One SFTP reply as the server sent it: its type, the request it answers, and its body, read in
 * place. A large DATA reply sits in a direct buffer of {@link ReplyBuffers}, which goes back
 * with {@link #release()}; any other reply is a heap array of its own.
 */
final class SftpReply {
    /** Where a DATA message's bytes start: after its type, id and length. */
    private static final int DATA_AT = 9;
    private final PacketType type;
    private final long id;
    /** The body after the type and id, for a heap reply; {@code null} for a direct one. */
    private final Buffer.PlainBuffer body;
    /** The whole message from its type byte, for a direct reply; {@code null} for a heap one. */
    private final ByteBuffer direct;
    private final ReplyBuffers owner;
    /** Whether a direct reply's buffer went back; {@code null} for a heap one. */
    private final AtomicBoolean released;

    private SftpReply(PacketType type, long id, Buffer.PlainBuffer body, ByteBuffer direct, ReplyBuffers owner) {
        this.type = type;
        this.id = id;
        this.body = body;
        this.direct = direct;
        this.owner = owner;
        this.released = direct != null ? new AtomicBoolean() : null;
    }

    /** A reply in an array of its own; the VERSION message's "id" is the server's version. */
    static SftpReply of(byte[] frame) throws SFTPException {
        Buffer.PlainBuffer b = new Buffer.PlainBuffer(frame);
        try {
            return new SftpReply(PacketType.fromByte(b.readByte()), b.readUInt32(), b, null, null);
        } catch (Buffer.BufferException e) {
            throw new SFTPException("the server sent an SFTP message of " + frame.length + " bytes, too short for a reply");
        }
    }

    /** A DATA reply filling {@code frame} from 0 to its limit, a buffer of {@code owner}. */
    static SftpReply data(ByteBuffer frame, ReplyBuffers owner) {
        long id = Integer.toUnsignedLong(frame.getInt(1));
        return new SftpReply(PacketType.DATA, id, null, frame, owner);
    }

    PacketType type() {
        return type;
    }

    long id() {
        return id;
    }

    /**
     * The body of a reply of type {@code expected}, read from after the request id.
     *
     * @throws SFTPException the server's error, if it answered with a status instead
     */
    Buffer<?> expect(PacketType expected) throws SFTPException {
        if (type != expected) {
            if (type == PacketType.STATUS) {
                throw error(readStatus());
            }
            throw new SFTPException("the server answered with " + type + " where " + expected + " was expected");
        }
        if (body == null) {
            throw new SFTPException("a DATA reply was read as a " + expected);
        }
        return body;
    }

    /** Checks that this is a status reply saying {@code acceptable}; otherwise throws the server's error. */
    void expectStatus(Response.StatusCode acceptable) throws SFTPException {
        Response.StatusCode code = readStatus(expect(PacketType.STATUS));
        if (code != acceptable) {
            throw error(code);
        }
    }

    private Response.StatusCode readStatus() throws SFTPException {
        return readStatus(body);
    }

    private static Response.StatusCode readStatus(Buffer<?> b) throws SFTPException {
        try {
            return Response.StatusCode.fromInt(b.readUInt32AsInt());
        } catch (Buffer.BufferException e) {
            throw new SFTPException(e);
        }
    }

    private SFTPException error(Response.StatusCode code) {
        try {
            return new SFTPException(code, body.readString());
        } catch (Buffer.BufferException e) {
            return new SFTPException(code, code.toString());
        }
    }

    /**
     * The bytes of a DATA reply (asked again, the same). A server that claims more than the reply holds, or more than
     * was asked for, is refused: copying would read past the reply or overflow the caller's
     * buffer. The file fails, as with an error status from the server; the connection is not at
     * fault.
     *
     * @param asked the length the READ asked for
     * @throws SFTPException the server's error, if it answered with a status (EOF among them)
     */
    ByteBuffer data(int asked) throws SFTPException {
        if (type != PacketType.DATA) {
            expect(PacketType.DATA);
        }
        int n;
        int held;
        if (direct != null) {
            n = direct.getInt(DATA_AT - 4);
            held = direct.limit() - DATA_AT;
        } else {
            if (body.available() < 4) {
                throw new SFTPException(Response.StatusCode.BAD_MESSAGE, "the server's DATA reply has no length");
            }
            n = ByteBuffer.wrap(body.array()).getInt(body.rpos());
            held = body.available() - 4;
        }
        if (n < 0 || n > held || n > asked) {
            throw new SFTPException(Response.StatusCode.BAD_MESSAGE, "the server's DATA reply claims "
                    + Integer.toUnsignedLong(n) + " bytes but holds " + held + " (asked for " + asked + ")");
        }
        return direct != null
                ? direct.slice(DATA_AT, n).asReadOnlyBuffer()
                : ByteBuffer.wrap(body.array(), body.rpos() + 4, n).slice().asReadOnlyBuffer();
    }

    /** Gives a direct reply's buffer back, once, after its bytes were used; nothing for a heap one. */
    void release() {
        if (direct != null && released.compareAndSet(false, true)) {
            owner.give(direct);
        }
    }
}
