package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.SFTPException;
import org.junit.jupiter.api.Test;

class WholePiecesTest {
    /** The file: byte i is (byte) i. */
    private static byte[] file(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static SftpReply data(byte[] file, long offset, int n) throws SFTPException {
        byte[] bytes = Arrays.copyOfRange(file, (int) offset, (int) offset + n);
        return SftpReply.of(new Buffer.PlainBuffer().putByte(PacketType.DATA.toByte()).putUInt32(1)
                .putUInt32(n).putRawBytes(bytes).getCompactData());
    }

    private static SftpReply status(int code) throws SFTPException {
        return SftpReply.of(new Buffer.PlainBuffer().putByte(PacketType.STATUS.toByte()).putUInt32(1)
                .putUInt32(code).putString("status " + code).putString("").getCompactData());
    }

    /** What the pieces told of each reply since the last call: asked/got, and whether the file goes on. */
    private static List<String> sizes(WholePieces p) {
        List<String> out = new java.util.ArrayList<>();
        p.tellSizes((asked, got, goesOn) -> out.add(asked + "/" + got + (goesOn ? " goes on" : "")));
        return out;
    }

    private static byte[] joined(List<ByteBuffer> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : pieces) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    @Test
    void repliesInFull_makeTheFileWhole_andTheProbeByteEndsIt() throws SFTPException {
        byte[] f = file(250);
        WholePieces p = new WholePieces(251); // one more than expected
        p.add(0, 100, data(f, 0, 100));
        p.add(100, 100, data(f, 100, 100));
        p.add(200, 51, data(f, 200, 50)); // short by the probe byte: ended where expected

        assertFalse(p.hasGaps());
        assertEquals(250, p.whole());
        assertArrayEquals(f, joined(p.fromStart()));
        assertEquals(List.of("100/100", "100/100", "51/50"),
                sizes(p));
    }

    @Test
    void shortRepliesLeaveGaps_whichGapReadsCover_andThenTheFileIsWhole() throws SFTPException {
        byte[] f = file(250);
        WholePieces p = new WholePieces(251);
        p.add(0, 100, data(f, 0, 40)); // a server that gives 40 at most
        p.add(100, 100, data(f, 100, 40));
        p.add(200, 51, data(f, 200, 40));

        assertTrue(p.hasGaps());
        assertEquals(40, p.whole());
        assertEquals(List.of("100/40 goes on", "100/40 goes on", "51/40"),
                sizes(p),
                "the file goes on after the first two short replies; after the last one nothing came yet");
        List<long[]> gaps = p.gapReads(40);
        assertEquals(List.of(List.of(40L, 40L), List.of(80L, 20L), List.of(140L, 40L), List.of(180L, 20L),
                List.of(240L, 11L)), gaps.stream().map(g -> List.of(g[0], g[1])).toList());
        for (long[] g : gaps) {
            int n = (int) Math.min(g[1], f.length - g[0]);
            p.add(g[0], (int) g[1], data(f, g[0], n));
        }

        assertFalse(p.hasGaps());
        assertArrayEquals(f, joined(p.fromStart()));
    }

    @Test
    void aFileThatEndsBeforeTheExpectedEnd_isAskedWhereItStops_andOnlyTheBytesBeforeCount() throws SFTPException {
        byte[] f = file(150); // listed with 250 bytes, shrank since
        WholePieces p = new WholePieces(251);
        p.add(0, 100, data(f, 0, 100));
        p.add(100, 100, data(f, 100, 50));
        p.add(200, 51, status(1)); // EOF

        assertTrue(p.hasGaps(), "a short reply: the file may end there, or the server gave less than it has");
        List<long[]> gaps = p.gapReads(100);
        assertEquals(List.of(List.of(150L, 50L)), gaps.stream().map(g -> List.of(g[0], g[1])).toList());
        p.add(150, 50, status(1));
        assertFalse(p.hasGaps(), "the file said where it ends");
        assertEquals(150, p.whole());
        assertArrayEquals(f, joined(p.fromStart()));
    }

    @Test
    void bytesAfterAGap_areNotHandedOut_untilTheGapIsFilled() throws SFTPException {
        byte[] f = file(250);
        WholePieces p = new WholePieces(251);
        p.add(0, 100, data(f, 0, 60));
        p.add(100, 100, data(f, 100, 100));
        p.add(200, 51, data(f, 200, 50));

        assertEquals(60, p.whole());
        assertArrayEquals(Arrays.copyOf(f, 60), joined(p.fromStart()));
    }

    @Test
    void anErrorOtherThanTheEndOfTheFile_isThrown() throws SFTPException {
        WholePieces p = new WholePieces(251);
        SftpReply denied = status(3);
        assertThrows(SFTPException.class, () -> p.add(0, 100, denied));
    }
}
