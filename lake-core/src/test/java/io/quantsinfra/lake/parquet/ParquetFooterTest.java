package io.quantsinfra.lake.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.parquet.FooterCheck.Complete;
import io.quantsinfra.lake.parquet.FooterCheck.Incomplete;
import io.quantsinfra.lake.parquet.FooterCheck.NeedMoreTail;
import io.quantsinfra.lake.parquet.FooterCheck.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure check on bytes of files DuckDB wrote, whole and cut where a collector may be when the
 * lake looks: the caller gives the file's length, its first bytes and its tail.
 */
class ParquetFooterTest {
    @TempDir
    static Path dir;

    private static byte[] trades;
    private static int footerLength;
    /** Where the footer starts in {@link #trades}: after the header and the row groups. */
    private static int footerStart;

    @BeforeAll
    static void writeFixtures() throws Exception {
        trades = ParquetFixtures.bytes(ParquetFixtures.write(dir.resolve("trades.parquet"), ParquetFixtures.TRADES, ""));
        footerLength = ParquetFixtures.footerLength(trades);
        footerStart = trades.length - 8 - footerLength;
        assertTrue(footerStart > 4 + 1000, "row groups before the footer: " + footerStart);
    }

    @Test
    void completeFile_isComplete_withTheRowCountDuckDbWrote() throws Exception {
        FooterCheck result = checkWhole(trades);

        assertEquals(new Complete(1000, 1, footerLength), result);
        assertEquals(1000, ParquetFixtures.rowsRead(dir.resolve("trades.parquet")));
    }

    @Test
    void severalRowGroups_countsAllTheirRows() throws Exception {
        Path file = ParquetFixtures.write(dir.resolve("groups.parquet"), ParquetFixtures.TEN_THOUSAND,
                "ROW_GROUP_SIZE 2048");
        byte[] bytes = ParquetFixtures.bytes(file);

        Complete complete = assertInstanceOf(Complete.class, checkWhole(bytes));

        assertEquals(10_000, complete.numRows());
        assertEquals(ParquetFixtures.rowsRead(file), complete.numRows());
        assertEquals(ParquetFixtures.rowGroups(file), complete.rowGroups());
        assertTrue(complete.rowGroups() > 1, "row groups: " + complete.rowGroups());
    }

    @Test
    void fileWithNoRows_isComplete_withZeroRowsAndNoRowGroup() throws Exception {
        byte[] bytes = ParquetFixtures.bytes(
                ParquetFixtures.write(dir.resolve("none.parquet"), ParquetFixtures.NO_ROWS, ""));

        assertEquals(new Complete(0, 0, ParquetFixtures.footerLength(bytes)), checkWhole(bytes));
    }

    @Test
    void emptyFile_hasNoFooterYet() {
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "empty file: no footer yet"), checkWhole(new byte[0]));
    }

    @Test
    void headerOnly_hasNoFooterYet() {
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "no footer yet: 4 bytes"), checkWhole(cut(4)));
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "no footer yet: 2 bytes"), checkWhole(cut(2)));
    }

    @Test
    void cutInTheRowGroup_hasNoFooterYet() {
        assertNoFooterYet(cut(footerStart / 2));
    }

    @Test
    void cutJustBeforeTheFooter_hasNoFooterYet() {
        assertNoFooterYet(cut(footerStart));
    }

    @Test
    void footerHalfWritten_hasNoFooterYet() {
        assertNoFooterYet(cut(footerStart + footerLength / 2));
    }

    @Test
    void footerWritten_butNotItsLengthOrTheTrailingMagic_hasNoFooterYet() {
        assertNoFooterYet(cut(footerStart + footerLength));
        assertNoFooterYet(cut(footerStart + footerLength + 4));
        assertNoFooterYet(cut(trades.length - 1));
    }

    @Test
    void footerLengthTooLong_doesNotFit() {
        byte[] bytes = withFooterLength(trades.length - 11);

        assertEquals(new Incomplete(Problem.FOOTER_LENGTH_DOES_NOT_FIT, "footer length " + (trades.length - 11)
                + " does not fit a file of " + trades.length + " bytes"), checkWhole(bytes));
        assertEquals(Problem.FOOTER_LENGTH_DOES_NOT_FIT, problem(checkWhole(withFooterLength(Integer.MAX_VALUE))));
    }

    @Test
    void footerLengthZeroOrNegative_doesNotFit() {
        assertEquals(new Incomplete(Problem.FOOTER_LENGTH_DOES_NOT_FIT, "footer length 0 does not fit a file of "
                + trades.length + " bytes"), checkWhole(withFooterLength(0)));
        assertEquals(Problem.FOOTER_LENGTH_DOES_NOT_FIT, problem(checkWhole(withFooterLength(-1))));
    }

    @Test
    void footerLengthReachingIntoTheRowGroups_doesNotDecode() {
        // Fits exactly (header + footer + length + magic), but the "footer" is the data pages.
        assertEquals(Problem.FOOTER_DOES_NOT_DECODE, problem(checkWhole(withFooterLength(trades.length - 12))));
    }

    @Test
    void zeroedFooter_lacksItsRequiredFields() {
        byte[] bytes = trades.clone();
        Arrays.fill(bytes, footerStart, footerStart + footerLength, (byte) 0);

        assertEquals(new Incomplete(Problem.FOOTER_DOES_NOT_DECODE,
                "footer does not decode: Required field 'version' was not found in serialized data!"), checkWhole(bytes));
    }

    @Test
    void corruptedFooter_doesNotDecode() {
        for (byte fill : new byte[] {0, (byte) 0xff, 0x7f}) {
            byte[] bytes = trades.clone();
            Arrays.fill(bytes, footerStart, footerStart + footerLength, fill);

            Incomplete incomplete = assertInstanceOf(Incomplete.class, checkWhole(bytes), "fill " + fill);

            assertEquals(Problem.FOOTER_DOES_NOT_DECODE, incomplete.problem(), incomplete.reason());
            assertTrue(incomplete.reason().startsWith("footer does not decode: "), incomplete.reason());
            assertTrue(incomplete.reason().length() < 200, incomplete.reason());
        }
    }

    @Test
    void footerMissingItsLastByte_doesNotDecode() {
        // A footer one byte short, its length field and magic shifted down: Thrift runs out of bytes.
        byte[] bytes = new byte[trades.length - 1];
        System.arraycopy(trades, 0, bytes, 0, footerStart + footerLength - 1);
        System.arraycopy(trades, trades.length - 8, bytes, bytes.length - 8, 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 8, footerLength - 1);

        assertEquals(new Incomplete(Problem.FOOTER_DOES_NOT_DECODE, "footer does not decode: it runs past its length of "
                + (footerLength - 1) + " bytes"), checkWhole(bytes));
    }

    @Test
    void halfWrittenFile_whoseDataHappensToEndInPar1_isNotComplete() {
        for (int at : new int[] {footerStart / 3, footerStart / 2, footerStart, footerStart + footerLength / 2}) {
            byte[] bytes = Arrays.copyOf(cut(at), at + 4);
            System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, bytes, at, 4);

            Problem problem = problem(checkWhole(bytes));

            assertTrue(problem == Problem.FOOTER_LENGTH_DOES_NOT_FIT || problem == Problem.FOOTER_DOES_NOT_DECODE,
                    "cut at " + at + ": " + problem);
        }
    }

    @Test
    void notParquet_hasNoPar1Header() {
        byte[] csv = "id,price\n1,100.5\n2,101.0\nPAR1".getBytes(StandardCharsets.US_ASCII);

        assertEquals(new Incomplete(Problem.NOT_PARQUET, "not a Parquet file: no PAR1 header"), checkWhole(csv));
        assertEquals(Problem.NOT_PARQUET, problem(checkWhole(new byte[] {'P', 'A', 'X'})));
    }

    @Test
    void encryptedFooterMagic_isNotSupported() {
        byte[] bytes = trades.clone();
        bytes[3] = 'E';
        bytes[bytes.length - 1] = 'E';

        assertEquals(new Incomplete(Problem.NOT_PARQUET, "encrypted Parquet footer (PARE) is not supported"),
                checkWhole(bytes));
    }

    @Test
    void everyCutOfACompleteFile_isIncomplete_andNeverNeedsMoreThanTheWholeFile() {
        for (int length = 0; length < trades.length; length++) {
            FooterCheck result = checkWhole(cut(length));

            assertInstanceOf(Incomplete.class, result, "cut at " + length);
        }
    }

    @Test
    void shortTail_asksForFooterPlus8Bytes_andTheSecondReadDecides() {
        ByteBuffer head = ByteBuffer.wrap(trades, 0, 4);

        FooterCheck first = ParquetFooter.check(trades.length, head, tail(trades, 8));
        assertEquals(new NeedMoreTail(footerLength + 8), first);

        FooterCheck second = ParquetFooter.check(trades.length, head, tail(trades, footerLength + 8));
        assertEquals(new Complete(1000, 1, footerLength), second);
    }

    @Test
    void aFooterLongerThanTheCheckReads_isReportedWithoutBeingRead() {
        // Only the length, head and last 8 bytes matter until the footer is read: no 3 GB needed.
        long fileLength = 3L << 30;
        ByteBuffer head = ByteBuffer.wrap("PAR1".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        trailer.put(4, "PAR1".getBytes(StandardCharsets.US_ASCII));

        trailer.putInt(0, ParquetFooter.MAX_FOOTER_LENGTH);
        assertEquals(new NeedMoreTail(ParquetFooter.MAX_FOOTER_LENGTH + 8), ParquetFooter.check(fileLength, head, trailer));

        trailer.putInt(0, ParquetFooter.MAX_FOOTER_LENGTH + 1);
        assertEquals(new Incomplete(Problem.FOOTER_TOO_LARGE, "footer length 8388609 is over the 8 MiB this check reads"),
                ParquetFooter.check(fileLength, head, trailer));
        trailer.putInt(0, Integer.MAX_VALUE - 1);
        assertEquals(Problem.FOOTER_TOO_LARGE, problem(ParquetFooter.check(fileLength, head, trailer)));
    }

    @Test
    void anyFirstTail_decidesInAtMostTwoReads_likeTheWholeFile() {
        int[] cuts = {4, 13, footerStart / 2, footerStart + footerLength / 2, trades.length - 1, trades.length};
        for (int length : cuts) {
            byte[] file = cut(length);
            FooterCheck whole = checkWhole(file);
            for (int firstTail : new int[] {8, 9, 100, footerLength + 7, footerLength + 8, length}) {
                assertEquals(whole, checkInTwoReads(file, Math.min(firstTail, length)),
                        "file of " + length + " bytes, first tail " + firstTail);
            }
        }
    }

    @Test
    void buffersAreReadBetweenPositionAndLimit_heapSliceOrDirect() {
        byte[] padded = new byte[trades.length + 20];
        System.arraycopy(trades, 0, padded, 10, trades.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 10, trades.length).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(trades.length).put(trades).flip();
        Complete expected = new Complete(1000, 1, footerLength);

        assertEquals(expected, ParquetFooter.check(trades.length, slice, slice));
        assertEquals(expected, ParquetFooter.check(trades.length, direct, direct));
        assertEquals(0, direct.position(), "the buffer's position is left alone");
        assertEquals(expected, ParquetFooter.check(trades.length, ByteBuffer.wrap(padded, 10, 4),
                ByteBuffer.wrap(padded, 10 + trades.length - 2000, 2000)));
    }

    @Test
    void buffersThatDoNotMatchTheLength_areRejected() {
        ByteBuffer head = ByteBuffer.wrap(trades, 0, 4);

        assertThrows(IllegalArgumentException.class, () -> ParquetFooter.check(-1, head, ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class,
                () -> ParquetFooter.check(10, ByteBuffer.wrap(trades, 0, 3), ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> ParquetFooter.check(10, head, ByteBuffer.allocate(11)));
        assertThrows(IllegalArgumentException.class, () -> ParquetFooter.check(10, head, ByteBuffer.allocate(7)));
        assertThrows(IllegalArgumentException.class, () -> ParquetFooter.check(5, head, ByteBuffer.allocate(4)));
    }

    /** Emulates a caller: head, a first tail of {@code firstTail} bytes, and one more if asked. */
    private static FooterCheck checkInTwoReads(byte[] file, int firstTail) {
        ByteBuffer head = ByteBuffer.wrap(file, 0, Math.min(4, file.length));
        FooterCheck result = ParquetFooter.check(file.length, head, tail(file, firstTail));
        if (result instanceof NeedMoreTail more) {
            assertTrue(more.tailLength() <= file.length, "asks for no more than the file: " + more);
            result = ParquetFooter.check(file.length, head, tail(file, more.tailLength()));
        }
        assertTrue(!(result instanceof NeedMoreTail), "the second read decides: " + result);
        return result;
    }

    private static FooterCheck checkWhole(byte[] file) {
        ByteBuffer whole = ByteBuffer.wrap(file);
        return ParquetFooter.check(file.length, whole, whole);
    }

    private static void assertNoFooterYet(byte[] file) {
        assertEquals(new Incomplete(Problem.NO_FOOTER_YET, "no footer yet"), checkWhole(file),
                "file of " + file.length + " bytes");
    }

    private static Problem problem(FooterCheck result) {
        return assertInstanceOf(Incomplete.class, result).problem();
    }

    /** The trades file as a collector may have left it: its first {@code length} bytes. */
    private static byte[] cut(int length) {
        return Arrays.copyOf(trades, length);
    }

    private static byte[] withFooterLength(int length) {
        byte[] bytes = trades.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 8, length);
        return bytes;
    }

    private static ByteBuffer tail(byte[] file, int length) {
        return ByteBuffer.wrap(file, file.length - length, length);
    }
}
