package io.quantsinfra.lake.parquet;

import io.quantsinfra.lake.parquet.FooterCheck.Complete;
import io.quantsinfra.lake.parquet.FooterCheck.Incomplete;
import io.quantsinfra.lake.parquet.FooterCheck.NeedMoreTail;
import io.quantsinfra.lake.parquet.FooterCheck.Problem;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

/**
 * Tells whether a Parquet file is structurally complete from its length, its first 4 bytes and its
 * tail, without reading its row groups.
 *
 * <p>A Parquet file is {@code PAR1}, the row groups, the footer (Thrift compact {@code FileMetaData}),
 * the footer's length as a 4-byte little-endian integer, and {@code PAR1} again. Writers append the
 * footer last, so a file still being written has the leading magic but not the trailing one.
 *
 * <p>{@link #check(long, ByteBuffer, ByteBuffer)} is pure: the caller reads the bytes, from a file,
 * over the network or from memory, and needs at most two reads of the tail:
 * <pre>{@code
 * long length = ...;                                  // the file's length, taken once
 * ByteBuffer head = read(0, min(4, length));
 * ByteBuffer tail = read(length - n, n);              // n = min(length, FIRST_TAIL_LENGTH)
 * FooterCheck result = ParquetFooter.check(length, head, tail);
 * if (result instanceof FooterCheck.NeedMoreTail more) {
 *     tail = read(length - more.tailLength(), more.tailLength());
 *     result = ParquetFooter.check(length, head, tail);   // never NeedMoreTail again
 * }
 * }</pre>
 * {@link #check(Path)} and {@link #check(SeekableByteChannel)} do those reads themselves.
 */
public final class ParquetFooter {
    /**
     * A first tail read that holds the whole footer of most files (Arrow reads this much too), so
     * the second read is rare; a file up to this long is read whole in one go.
     */
    public static final int FIRST_TAIL_LENGTH = 64 * 1024;
    /**
     * The longest footer this check reads: its bytes and their decoding live in the heap, beside
     * the transfers' buffers. A longer one, real or a garbage length, is reported, never read.
     */
    public static final int MAX_FOOTER_LENGTH = 8 * 1024 * 1024;

    private static final int MAGIC_LENGTH = 4;
    /** The footer's length field and the trailing magic. */
    private static final int TRAILER_LENGTH = 8;
    /** Leading magic, length field and trailing magic: a file this short has no room for a footer. */
    private static final int FRAME_LENGTH = MAGIC_LENGTH + TRAILER_LENGTH;
    private static final byte[] PAR1 = {'P', 'A', 'R', '1'};
    /** The magic of Parquet files whose footer is encrypted; their footer is no plain FileMetaData. */
    private static final byte[] PARE = {'P', 'A', 'R', 'E'};
    /** Thrift messages name the whole half-read struct; a reason needs only their start. */
    private static final int MAX_DECODE_MESSAGE = 160;

    private ParquetFooter() {
    }

    /**
     * Checks a Parquet file from bytes the caller has read. Reads the bytes between each buffer's
     * position and limit, and changes neither buffer.
     *
     * @param fileLength the file's length in bytes; keep it for a second call, since bytes appended
     *                   after it was taken are not part of what is checked
     * @param head       the file's first {@code min(4, fileLength)} bytes (more are ignored); may
     *                   be the same buffer as {@code tail} when that holds the whole file
     * @param tail       the file's last {@code tail.remaining()} bytes: at least
     *                   {@code min(8, fileLength)}, at most {@code fileLength}
     * @return complete with the row count, incomplete with a reason, or the tail length to read
     * @throws IllegalArgumentException if the buffers are not what the length allows
     */
    public static FooterCheck check(long fileLength, ByteBuffer head, ByteBuffer tail) {
        if (fileLength < 0) {
            throw new IllegalArgumentException("negative file length: " + fileLength);
        }
        if (head.remaining() < Math.min(MAGIC_LENGTH, fileLength)) {
            throw new IllegalArgumentException("head has " + head.remaining() + " bytes; a file of "
                    + fileLength + " bytes needs " + Math.min(MAGIC_LENGTH, fileLength));
        }
        // At least the trailer, so that a second read, if any, always decides.
        if (tail.remaining() < Math.min(TRAILER_LENGTH, fileLength) || tail.remaining() > fileLength) {
            throw new IllegalArgumentException("tail has " + tail.remaining() + " bytes; a file of "
                    + fileLength + " bytes needs " + Math.min(TRAILER_LENGTH, fileLength) + " to " + fileLength);
        }
        if (fileLength == 0) {
            return new Incomplete(Problem.NO_FOOTER_YET, "empty file: no footer yet");
        }
        int headEnd = head.position() + (int) Math.min(MAGIC_LENGTH, fileLength);
        if (fileLength < MAGIC_LENGTH && startsWith(PAR1, head, headEnd)) {
            return new Incomplete(Problem.NO_FOOTER_YET, "no footer yet: " + fileLength + " bytes");
        }
        if (fileLength >= MAGIC_LENGTH && startsWith(PARE, head, headEnd)) {
            return new Incomplete(Problem.NOT_PARQUET, "encrypted Parquet footer (PARE) is not supported");
        }
        if (fileLength < MAGIC_LENGTH || !startsWith(PAR1, head, headEnd)) {
            return new Incomplete(Problem.NOT_PARQUET, "not a Parquet file: no PAR1 header");
        }
        if (fileLength <= FRAME_LENGTH) {
            return new Incomplete(Problem.NO_FOOTER_YET, "no footer yet: " + fileLength + " bytes");
        }
        int tailEnd = tail.limit();
        if (!startsWith(PAR1, tail, tailEnd, tailEnd - MAGIC_LENGTH)) {
            return new Incomplete(Problem.NO_FOOTER_YET, "no footer yet");
        }
        // A signed 32-bit field: negative values are garbage, as are ones that overlap the header.
        int footerLength = tail.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(tailEnd - TRAILER_LENGTH);
        if (footerLength <= 0 || footerLength + (long) FRAME_LENGTH > fileLength) {
            return new Incomplete(Problem.FOOTER_LENGTH_DOES_NOT_FIT, "footer length " + footerLength
                    + " does not fit a file of " + fileLength + " bytes");
        }
        if (footerLength > MAX_FOOTER_LENGTH) {
            return new Incomplete(Problem.FOOTER_TOO_LARGE, "footer length " + footerLength + " is over the "
                    + MAX_FOOTER_LENGTH / (1024 * 1024) + " MiB this check reads");
        }
        int needed = footerLength + TRAILER_LENGTH;
        if (tail.remaining() < needed) {
            return new NeedMoreTail(needed);
        }
        return decode(tail, tailEnd - needed, footerLength);
    }

    /**
     * Checks the file at {@code file}, reading only its first 4 bytes and its tail.
     *
     * @param file a regular file
     * @return complete with the row count, or incomplete with a reason; never {@link NeedMoreTail}
     * @throws IOException if the file cannot be read, or shrinks while it is read
     */
    public static FooterCheck check(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return check(channel);
        }
    }

    /**
     * Checks the file behind {@code channel}, reading only its first 4 bytes and its tail: one
     * read for a file up to {@link #FIRST_TAIL_LENGTH} bytes, otherwise the head and up to two
     * tail reads. Judges the file at the size it has when the check starts. Moves the channel's
     * position and leaves it open.
     *
     * @param channel an open, readable channel
     * @return complete with the row count, or incomplete with a reason; never {@link NeedMoreTail}
     * @throws IOException if the channel cannot be read, or the file shrinks while it is read
     */
    public static FooterCheck check(SeekableByteChannel channel) throws IOException {
        return check(channel.size(), (position, length) -> read(channel, position, length));
    }

    /** Reads a file's bytes wherever they are: a local file, an object in a store. */
    @FunctionalInterface
    public interface Ranges {
        /**
         * The file's {@code length} bytes at {@code position}, all of them.
         *
         * @throws IOException if they cannot be read, or the file ends first
         */
        ByteBuffer read(long position, int length) throws IOException;
    }

    /**
     * Checks a file of {@code length} bytes through {@code ranges}: one read for a file up to
     * {@link #FIRST_TAIL_LENGTH} bytes, otherwise the head and up to two tail reads.
     *
     * @return complete with the row count, or incomplete with a reason; never {@link NeedMoreTail}
     * @throws IOException if a read fails
     */
    public static FooterCheck check(long length, Ranges ranges) throws IOException {
        if (length <= FIRST_TAIL_LENGTH) {
            ByteBuffer whole = ranges.read(0, (int) length);
            return check(length, whole, whole);
        }
        ByteBuffer head = ranges.read(0, MAGIC_LENGTH);
        FooterCheck result = check(length, head, ranges.read(length - FIRST_TAIL_LENGTH, FIRST_TAIL_LENGTH));
        if (result instanceof NeedMoreTail more) {
            result = check(length, head, ranges.read(length - more.tailLength(), more.tailLength()));
        }
        if (result instanceof NeedMoreTail) {
            throw new IllegalStateException("asked for more tail twice: " + result);
        }
        return result;
    }

    /** Decodes the footer at {@code tail[offset, offset + length)} as the file's FileMetaData. */
    private static FooterCheck decode(ByteBuffer tail, int offset, int length) {
        ByteArrayInputStream in;
        if (tail.hasArray()) {
            in = new ByteArrayInputStream(tail.array(), tail.arrayOffset() + offset, length);
        } else {
            byte[] footer = new byte[length];
            tail.get(offset, footer);
            in = new ByteArrayInputStream(footer);
        }
        FileMetaData metaData;
        try {
            // The footer's length as Thrift's message size limit: a garbage list or string length
            // fails at once instead of allocating what it claims.
            metaData = Util.readFileMetaData(in, length);
        } catch (IOException | RuntimeException e) {
            // The bytes are untrusted: whatever Thrift throws on them means they are no footer.
            return new Incomplete(Problem.FOOTER_DOES_NOT_DECODE, "footer does not decode: " + message(e, length));
        }
        if (metaData.getNum_rows() < 0) {
            return new Incomplete(Problem.FOOTER_DOES_NOT_DECODE,
                    "footer does not decode: negative row count " + metaData.getNum_rows());
        }
        return new Complete(metaData.getNum_rows(), metaData.getRow_groupsSize(), length);
    }

    /** The innermost message, short: Parquet's wrapper only repeats it with a class name. */
    private static String message(Throwable e, int footerLength) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Thrift's transport says "Socket is closed by peer" when the bytes run out. Matched by
        // simple name, since the class is in Parquet's shaded copy of Thrift.
        if (root.getClass().getSimpleName().equals("TTransportException")) {
            return "it runs past its length of " + footerLength + " bytes";
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int struct = text.indexOf(" Struct:");
        if (struct >= 0) {
            text = text.substring(0, struct);
        }
        return text.length() <= MAX_DECODE_MESSAGE ? text : text.substring(0, MAX_DECODE_MESSAGE) + "…";
    }

    private static boolean startsWith(byte[] magic, ByteBuffer buffer, int end) {
        return startsWith(magic, buffer, end, buffer.position());
    }

    /** Whether {@code buffer[at, end)} starts with as much of {@code magic} as it holds. */
    private static boolean startsWith(byte[] magic, ByteBuffer buffer, int end, int at) {
        int n = Math.min(magic.length, end - at);
        for (int i = 0; i < n; i++) {
            if (buffer.get(at + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads exactly {@code length} bytes at {@code position}. */
    private static ByteBuffer read(SeekableByteChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("file shrank while its Parquet footer was read: ended before "
                        + (position + buffer.position()) + " of " + (position + length) + " bytes");
            }
        }
        return buffer.flip();
    }
}
