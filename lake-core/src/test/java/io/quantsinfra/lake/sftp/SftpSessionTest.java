package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.LoggerFactory;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.SFTPException;
import org.junit.jupiter.api.Test;

class SftpSessionTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    /** Long enough that a test waiting on a reply that never comes would be noticed. */
    private final SftpSession session = new SftpSession(sent, StandardCharsets.UTF_8, LoggerFactory.DEFAULT, 60_000, new HandlePermits());
    private final ReplyBuffers buffers = new ReplyBuffers(4);

    private static SftpReply handle(long id, String handle) throws SFTPException {
        return SftpReply.of(new Buffer.PlainBuffer().putByte(PacketType.HANDLE.toByte()).putUInt32(id).putString(handle).getCompactData());
    }

    /** A large DATA reply, in a buffer of {@link #buffers}, as the channel makes it. */
    private SftpReply largeData(long id, byte fill) throws SFTPException {
        byte[] bytes = new byte[SharedReadState.READ_SIZE];
        java.util.Arrays.fill(bytes, fill);
        byte[] m = new Buffer.PlainBuffer().putByte(PacketType.DATA.toByte()).putUInt32(id).putUInt32(bytes.length).putRawBytes(bytes).getCompactData();
        byte[] framed = new Buffer.PlainBuffer().putUInt32(m.length).putRawBytes(m).getCompactData();
        List<SftpReply> out = new ArrayList<>();
        new ReplyCutter(buffers).cut(framed, 0, framed.length, out::add);
        return out.get(0);
    }

    private void started() throws IOException {
        session.reply(SftpReply.of(new Buffer.PlainBuffer().putByte(PacketType.VERSION.toByte()).putUInt32(3).getCompactData()));
        session.init();
        sent.reset();
    }

    @Test
    void init_sendsVersion3_andRefusesAnyOther() throws IOException {
        started();
        SftpSession other = new SftpSession(sent, StandardCharsets.UTF_8, LoggerFactory.DEFAULT, 60_000, new HandlePermits());
        other.reply(SftpReply.of(new Buffer.PlainBuffer().putByte(PacketType.VERSION.toByte()).putUInt32(6).getCompactData()));
        SFTPException e = assertThrows(SFTPException.class, other::init);
        assertTrue(e.getMessage().contains("version 6"), e.getMessage());
        assertArrayEquals(new byte[] {0, 0, 0, 5, 1, 0, 0, 0, 3}, sent.toByteArray(), "its INIT: length 5, type 1, version 3");
    }

    @Test
    void requestsGoOutTogether_andRepliesFindTheirRequests_inAnyOrder() throws IOException {
        started();
        List<Request> rs = List.of(session.newRequest(PacketType.OPEN), session.newRequest(PacketType.OPEN));
        List<SftpSession.PendingReply> replies = session.requestAll(rs);
        assertEquals(2 * (4 + 5), sent.size(), "both requests, framed, in one write");
        assertNotEquals(rs.get(0).getRequestID(), rs.get(1).getRequestID());

        session.reply(handle(rs.get(1).getRequestID(), "second"));
        session.reply(handle(rs.get(0).getRequestID(), "first"));

        assertEquals("first", session.await(replies.get(0)).expect(PacketType.HANDLE).readString());
        assertEquals("second", session.await(replies.get(1)).expect(PacketType.HANDLE).readString());
    }

    @Test
    void aReplyToNoRequest_isRefused_andAFailedSessionFailsEveryRequest_nowAndLater() throws IOException {
        started();
        SftpSession.PendingReply waiting = session.request(session.newRequest(PacketType.STAT));
        SFTPException unasked = assertThrows(SFTPException.class, () -> session.reply(handle(999, "h")));
        assertTrue(unasked.getMessage().contains("never made"), unasked.getMessage());

        session.fail(new SFTPException("link gone"));

        assertEquals("link gone", assertThrows(SFTPException.class, () -> session.await(waiting)).getMessage());
        SftpSession.PendingReply later = session.request(session.newRequest(PacketType.STAT));
        assertEquals("link gone", assertThrows(SFTPException.class, () -> session.await(later)).getMessage(),
                "answered at once, not after the timeout");
    }

    @Test
    void aDiscardedReply_givesItsBufferBack_whetherItCameBeforeOrAfter() throws IOException {
        started();
        List<Request> rs = List.of(session.newRequest(PacketType.READ), session.newRequest(PacketType.READ));
        List<SftpSession.PendingReply> replies = session.requestAll(rs);

        SftpReply first = largeData(rs.get(0).getRequestID(), (byte) 1);
        SftpReply second = largeData(rs.get(1).getRequestID(), (byte) 2);

        session.reply(first); // came before
        session.discard(replies.get(0));
        session.discard(replies.get(1));
        session.reply(second); // comes after: dropped, not taken for a reply to no request

        ByteBuffer a = buffers.take();
        ByteBuffer b = buffers.take();
        assertEquals(ReplyBuffers.SIZE, a.capacity());
        assertEquals(List.of((byte) 1, (byte) 2), List.of(a.get(9), b.get(9)), "both buffers came back with their bytes");
        SFTPException unasked = assertThrows(SFTPException.class, () -> session.reply(handle(rs.get(1).getRequestID(), "h")));
        assertTrue(unasked.getMessage().contains("never made"), "dropped once only: " + unasked.getMessage());
    }
}
