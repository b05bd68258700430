package io.quantsinfra.lake.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.parquet.FooterCheck.Complete;
import io.quantsinfra.lake.parquet.FooterCheck.Incomplete;
import io.quantsinfra.lake.parquet.FooterCheck.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convenience checks that read a file themselves: what they find, and that they read only its tail. */
class ParquetFooterFileTest {
    @TempDir
    static Path dir;

    private static Path small;
    private static Path groups;
    private static Path wide;

    @BeforeAll
    static void writeFixtures() throws Exception {
        small = ParquetFixtures.write(dir.resolve("trades.parquet"), ParquetFixtures.TRADES, "");
        groups = ParquetFixtures.write(dir.resolve("groups.parquet"), ParquetFixtures.TEN_THOUSAND,
                "ROW_GROUP_SIZE 2048");
        // 400 columns in 3 row groups: 1,200 column chunks, a footer longer than the first tail read.
        wide = ParquetFixtures.write(dir.resolve("wide.parquet"), ParquetFixtures.constantColumns(400, 3 * 2048),
                "ROW_GROUP_SIZE 2048");
    }

    @Test
    void smallFile_isReadWholeInOneRead() throws Exception {
        assertTrue(Files.size(small) <= ParquetFooter.FIRST_TAIL_LENGTH, "fixture size " + Files.size(small));

        ReadLog log = checkLogged(small);

        assertEquals(new Complete(1000, 1, ParquetFixtures.footerLength(Files.readAllBytes(small))), log.result);
        assertEquals(List.of("0+" + Files.size(small)), log.reads);
    }

    @Test
    void largerFile_readsTheHeadAndOneTail() throws Exception {
        long size = Files.size(groups);
        assertTrue(size > ParquetFooter.FIRST_TAIL_LENGTH, "fixture size " + size);

        ReadLog log = checkLogged(groups);

        Complete complete = assertInstanceOf(Complete.class, log.result);
        assertEquals(10_000, complete.numRows());
        assertEquals(ParquetFixtures.rowGroups(groups), complete.rowGroups());
        assertEquals(List.of("0+4", (size - ParquetFooter.FIRST_TAIL_LENGTH) + "+" + ParquetFooter.FIRST_TAIL_LENGTH),
                log.reads);
    }

    @Test
    void footerLongerThanTheFirstTail_takesASecondTailRead() throws Exception {
        long size = Files.size(wide);
        int footerLength = ParquetFixtures.footerLength(Files.readAllBytes(wide));
        assertTrue(footerLength > ParquetFooter.FIRST_TAIL_LENGTH, "footer of " + footerLength + " bytes");

        ReadLog log = checkLogged(wide);

        assertEquals(new Complete(3 * 2048, (int) ParquetFixtures.rowGroups(wide), footerLength), log.result);
        assertEquals(ParquetFixtures.rowsRead(wide), ((Complete) log.result).numRows());
        assertEquals(List.of("0+4", (size - ParquetFooter.FIRST_TAIL_LENGTH) + "+" + ParquetFooter.FIRST_TAIL_LENGTH,
                (size - footerLength - 8) + "+" + (footerLength + 8)), log.reads);
    }

    @Test
    void path_findsCompleteAndCutFiles() throws Exception {
        byte[] bytes = Files.readAllBytes(groups);
        int footerStart = bytes.length - 8 - ParquetFixtures.footerLength(bytes);
        Path cutInFooter = Files.write(dir.resolve("cut-in-footer.parquet"), Arrays.copyOf(bytes, footerStart + 10));
        Path cutInData = Files.write(dir.resolve("cut-in-data.parquet"), Arrays.copyOf(bytes, 100));
        Path empty = Files.createFile(dir.resolve("empty.parquet"));

        assertEquals(10_000, assertInstanceOf(Complete.class, ParquetFooter.check(groups)).numRows());
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "no footer yet"), ParquetFooter.check(cutInFooter));
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "no footer yet"), ParquetFooter.check(cutInData));
        assertEquals(Problem.NO_FOOTER_YET, assertInstanceOf(Incomplete.class, ParquetFooter.check(empty)).problem());
    }

    @Test
    void path_ofAGarbledFooter_doesNotDecode() throws Exception {
        byte[] bytes = Files.readAllBytes(wide);
        int footerLength = ParquetFixtures.footerLength(bytes);
        Arrays.fill(bytes, bytes.length - 8 - footerLength, bytes.length - 8 - footerLength / 2, (byte) 0xee);
        Path garbled = Files.write(dir.resolve("garbled.parquet"), bytes);

        FooterCheck result = ParquetFooter.check(garbled);

        assertEquals(Problem.FOOTER_DOES_NOT_DECODE, assertInstanceOf(Incomplete.class, result).problem());
    }

    private static ReadLog checkLogged(Path file) throws IOException {
        try (LoggingChannel channel = new LoggingChannel(FileChannel.open(file, StandardOpenOption.READ))) {
            return new ReadLog(ParquetFooter.check(channel), channel.reads);
        }
    }

    private record ReadLog(FooterCheck result, List<String> reads) {
    }

    /** A channel that logs each read as "position+bytes", consecutive reads merged. */
    private static final class LoggingChannel implements SeekableByteChannel {
        final SeekableByteChannel delegate;
        final List<String> reads = new ArrayList<>();
        long start = -1;
        long bytes;

        LoggingChannel(SeekableByteChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            long at = delegate.position();
            int n = delegate.read(dst);
            if (n > 0) {
                if (start >= 0 && at == start + bytes) {
                    bytes += n;
                    reads.set(reads.size() - 1, start + "+" + bytes);
                } else {
                    start = at;
                    bytes = n;
                    reads.add(start + "+" + bytes);
                }
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
