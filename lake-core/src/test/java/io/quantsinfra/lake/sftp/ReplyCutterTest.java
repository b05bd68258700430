package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;
import org.junit.jupiter.api.Test;

class ReplyCutterTest {
    private static final Random RANDOM = new Random(7);

    /** A DATA reply to {@code id} carrying {@code n} random bytes: the message and the bytes. */
    private static byte[][] data(long id, int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        Buffer.PlainBuffer m = new Buffer.PlainBuffer().putByte(PacketType.DATA.toByte()).putUInt32(id).putUInt32(n).putRawBytes(bytes);
        return new byte[][] {m.getCompactData(), bytes};
    }

    private static byte[] status(long id, Response.StatusCode code, String message) {
        return new Buffer.PlainBuffer().putByte(PacketType.STATUS.toByte()).putUInt32(id).putUInt32(code.getCode())
                .putString(message).putString("").getCompactData();
    }

    private static byte[] framed(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            out.writeBytes(new Buffer.PlainBuffer().putUInt32(m.length).getCompactData());
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void cut_inPiecesOfAnySize_givesEachReplyWhole_withLargeDataInDirectBuffers() throws Exception {
        byte[][] small = data(1, 4096);
        byte[][] large = data(2, SharedReadState.READ_SIZE);
        byte[][] threshold = data(3, ReplyCutter.DIRECT_MIN - 9);
        Buffer.PlainBuffer names = new Buffer.PlainBuffer().putByte(PacketType.NAME.toByte()).putUInt32(4).putUInt32(3);
        for (String n : List.of("a", "b", "c")) {
            names.putString(n.repeat(30_000)).putString("").putUInt32(0);
        }
        byte[] name = names.getCompactData(); // large, but no DATA
        byte[] eof = status(5, Response.StatusCode.EOF, "");
        byte[] stream = framed(List.of(small[0], large[0], threshold[0], name, eof));

        for (int piece : new int[] {1, 3, 4, 5, 4097, 65_536, 200_000, stream.length, -1}) {
            ReplyCutter cutter = new ReplyCutter(new ReplyBuffers(4));
            List<SftpReply> got = new ArrayList<>();
            for (int off = 0; off < stream.length; ) {
                int n = piece > 0 ? piece : 1 + RANDOM.nextInt(70_000);
                n = Math.min(n, stream.length - off);
                cutter.cut(stream, off, n, got::add);
                off += n;
            }
            String at = "pieces of " + piece;
            assertEquals(5, got.size(), at);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), got.stream().map(SftpReply::id).toList(), at);
            assertArrayEquals(small[1], bytes(got.get(0).data(4096)), at);
            assertFalse(got.get(0).data(4096).isDirect(), at);
            assertArrayEquals(large[1], bytes(got.get(1).data(SharedReadState.READ_SIZE)), at);
            assertTrue(got.get(1).data(SharedReadState.READ_SIZE).isDirect(), at);
            assertArrayEquals(threshold[1], bytes(got.get(2).data(ReplyCutter.DIRECT_MIN)), at);
            assertTrue(got.get(2).data(ReplyCutter.DIRECT_MIN).isDirect(), at);
            Buffer<?> listed = got.get(3).expect(PacketType.NAME);
            assertEquals(3, listed.readUInt32AsInt(), at);
            assertEquals("a".repeat(30_000), listed.readString(), at);
            got.get(4).expectStatus(Response.StatusCode.EOF);
        }
    }

    /** A server that answers 64 KiB at most: its replies stay on the heap, where they take what the budget counts. */
    @Test
    void a64KiBReply_isNotPutIntoAQuarterMiBBuffer() throws Exception {
        byte[][] reply = data(7, 64 * 1024);
        List<SftpReply> got = new ArrayList<>();
        new ReplyCutter(new ReplyBuffers(4)).cut(framed(List.of(reply[0])), 0, framed(List.of(reply[0])).length, got::add);

        assertArrayEquals(reply[1], bytes(got.get(0).data(64 * 1024)));
        assertFalse(got.get(0).data(64 * 1024).isDirect());
    }

    @Test
    void releasedBuffers_takeTheNextLargeReplies_andAtMostTheKeptNumberIsKept() {
        ReplyBuffers buffers = new ReplyBuffers(1);
        ByteBuffer a = buffers.take();
        ByteBuffer b = buffers.take();
        buffers.give(a);
        buffers.give(b); // beyond the one kept: left to the garbage collector
        assertSame(a, buffers.take());
        ByteBuffer c = buffers.take();
        assertTrue(c != a && c != b, "a new buffer once the kept ones are taken");
        assertEquals(ReplyBuffers.SIZE, c.capacity());
    }

    @Test
    void aDirectReply_givesItsBufferBack_once() throws Exception {
        ReplyBuffers buffers = new ReplyBuffers(4);
        ReplyCutter cutter = new ReplyCutter(buffers);
        List<SftpReply> got = new ArrayList<>();
        byte[] stream = framed(List.of(data(1, SharedReadState.READ_SIZE)[0]));
        cutter.cut(stream, 0, stream.length, got::add);
        got.get(0).release();
        got.get(0).release();

        ByteBuffer first = buffers.take();
        ByteBuffer second = buffers.take();
        assertTrue(first != second, "released twice, but given back once");
        assertEquals(PacketType.DATA.toByte(), first.get(0), "the reply's own buffer came back (a new one is zeros)");
        assertEquals(1, first.getInt(1));
        assertEquals(0, second.get(0));
    }

    @Test
    void aDataReplyClaimingMoreThanItHoldsOrWasAskedFor_isRefused_asTheServersFault() throws Exception {
        byte[] lying = new Buffer.PlainBuffer().putByte(PacketType.DATA.toByte()).putUInt32(1)
                .putUInt32(ReplyCutter.DIRECT_MIN + 100_000).putRawBytes(new byte[ReplyCutter.DIRECT_MIN]).getCompactData();
        byte[] honest = data(2, 70_000)[0];
        byte[] shortOne = new Buffer.PlainBuffer().putByte(PacketType.DATA.toByte()).putUInt32(3).putUInt32(50)
                .putRawBytes(new byte[10]).getCompactData();
        byte[] stream = framed(List.of(lying, honest, shortOne));
        List<SftpReply> got = new ArrayList<>();
        new ReplyCutter(new ReplyBuffers(4)).cut(stream, 0, stream.length, got::add);

        SFTPException a = assertThrows(SFTPException.class, () -> got.get(0).data(SharedReadState.READ_SIZE));
        assertEquals(Response.StatusCode.BAD_MESSAGE, a.getStatusCode());
        SFTPException b = assertThrows(SFTPException.class, () -> got.get(1).data(65_536));
        assertEquals(Response.StatusCode.BAD_MESSAGE, b.getStatusCode(), "more than the READ asked for");
        SFTPException c = assertThrows(SFTPException.class, () -> got.get(2).data(4096));
        assertEquals(Response.StatusCode.BAD_MESSAGE, c.getStatusCode(), "a small reply too");
    }

    @Test
    void aStatusReply_isTheServersError_whereAnythingElseWasExpected() throws Exception {
        byte[] stream = framed(List.of(status(1, Response.StatusCode.PERMISSION_DENIED, "denied by policy"),
                status(2, Response.StatusCode.NO_SUCH_FILE, "gone")));
        List<SftpReply> got = new ArrayList<>();
        new ReplyCutter(new ReplyBuffers(4)).cut(stream, 0, stream.length, got::add);

        SFTPException denied = assertThrows(SFTPException.class, () -> got.get(0).expect(PacketType.HANDLE));
        assertEquals(Response.StatusCode.PERMISSION_DENIED, denied.getStatusCode());
        assertEquals("denied by policy", denied.getMessage());
        SFTPException gone = assertThrows(SFTPException.class, () -> got.get(1).expectStatus(Response.StatusCode.EOF));
        assertEquals(Response.StatusCode.NO_SUCH_FILE, gone.getStatusCode());
    }

    @Test
    void aMessageTooLongOrTooShortForAReply_failsTheSession() {
        byte[] huge = new Buffer.PlainBuffer().putUInt32(ReplyCutter.MAX_REPLY + 1L).getCompactData();
        SFTPException tooLong = assertThrows(SFTPException.class,
                () -> new ReplyCutter(new ReplyBuffers(1)).cut(huge, 0, huge.length, r -> { }));
        assertTrue(tooLong.getMessage().contains("the most taken is"), tooLong.getMessage());

        byte[] tiny = framed(List.of(new byte[] {101, 0}));
        SFTPException tooShort = assertThrows(SFTPException.class,
                () -> new ReplyCutter(new ReplyBuffers(1)).cut(tiny, 0, tiny.length, r -> { }));
        assertTrue(tooShort.getMessage().contains("too short"), tooShort.getMessage());
    }
}
