package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.remote.RemoteFs;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;

class SftpAttributesTest {
    @Test
    void read_everyField_skipsOwnersAndExtensions_andLeavesTheBufferPastThem() throws Buffer.BufferException {
        Buffer.PlainBuffer b = new Buffer.PlainBuffer()
                .putUInt32(0x1 | 0x2 | 0x4 | 0x8 | 0x80000000L)
                .putUInt64(5_000_000_000L)
                .putUInt32(1000).putUInt32(1000)
                .putUInt32(0100640)
                .putUInt32(1_700_000_000L).putUInt32(1_732_804_200L)
                .putUInt32(2).putString("a@example.com").putString("x").putString("b@example.com").putString("")
                .putString("next");

        RemoteFs.Item item = SftpAttributes.read("part.parquet", b);

        assertEquals(new RemoteFs.Item("part.parquet", EntryType.FILE, 5_000_000_000L, 1_732_804_200L, 0640), item);
        assertEquals("next", b.readString(), "the reply's next field follows the attributes");
    }

    @Test
    void read_typesFromTheMode_andZeroForWhatTheServerLeftOut() throws Buffer.BufferException {
        assertEquals(new RemoteFs.Item("d", EntryType.DIRECTORY, 0, 0, 0755),
                SftpAttributes.read("d", new Buffer.PlainBuffer().putUInt32(0x4).putUInt32(0040755)));
        assertEquals(new RemoteFs.Item("l", EntryType.SYMLINK, 0, 0, 0777),
                SftpAttributes.read("l", new Buffer.PlainBuffer().putUInt32(0x4).putUInt32(0120777)));
        assertEquals(new RemoteFs.Item("fifo", EntryType.OTHER, 0, 0, 0644),
                SftpAttributes.read("fifo", new Buffer.PlainBuffer().putUInt32(0x4).putUInt32(0010644)));
        assertEquals(new RemoteFs.Item("bare", EntryType.OTHER, 12, 0, 0),
                SftpAttributes.read("bare", new Buffer.PlainBuffer().putUInt32(0x1).putUInt64(12)));
    }

    @Test
    void read_truncatedOrLyingAttributes_fail() {
        assertThrows(Buffer.BufferException.class,
                () -> SftpAttributes.read("x", new Buffer.PlainBuffer().putUInt32(0x1 | 0x8).putUInt64(3)));
        assertThrows(Buffer.BufferException.class, () -> SftpAttributes.read("x",
                new Buffer.PlainBuffer().putUInt32(0x80000000L).putUInt32(1_000_000).putString("only one")));
    }
}
