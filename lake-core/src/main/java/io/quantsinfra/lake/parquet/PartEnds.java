package io.quantsinfra.lake.parquet;

import java.nio.ByteBuffer;

/**
 * The first 4 and the last bytes of a file, caught as its bytes go past on their way elsewhere,
 * for {@link ParquetFooter#check(long, ByteBuffer, ByteBuffer)}: a copy keeps them at no extra
 * read, and asks for what it did not see (the head of a resumed file) with {@link #missing}.
 */
public final class PartEnds {
    private static final int HEAD_LENGTH = 4;

    private final long size;
    private final long tailFrom;
    private final byte[] head;
    private final byte[] tail;
    private long headSeen;
    /** The run of the tail seen without a gap, {@code [seenFrom, seenTo)}; empty while equal. */
    private long seenFrom;
    private long seenTo;

    /**
     * @param size       the file's length, as listed
     * @param tailLength how many of its last bytes to keep (at most {@code size} are)
     */
    public PartEnds(long size, int tailLength) {
        if (size < 0 || tailLength < 0) {
            throw new IllegalArgumentException("size " + size + " and tail length " + tailLength + " must not be negative");
        }
        this.size = size;
        this.head = new byte[(int) Math.min(HEAD_LENGTH, size)];
        this.tail = new byte[(int) Math.min(tailLength, size)];
        this.tailFrom = size - tail.length;
    }

    /**
     * Keeps what of {@code data} (the file's bytes at {@code position}) falls in the head or the
     * tail. Reads between the buffer's position and limit and leaves both as they were.
     */
    public void accept(long position, ByteBuffer data) {
        int length = data.remaining();
        long end = position + length;
        if (position < head.length && position <= headSeen) {
            int n = (int) (Math.min(end, head.length) - position);
            if (n > 0) {
                data.get(data.position(), head, (int) position, n);
                headSeen = Math.max(headSeen, position + n);
            }
        }
        long from = Math.max(position, tailFrom);
        long to = Math.min(end, size);
        if (from >= to) {
            return;
        }
        data.get(data.position() + (int) (from - position), tail, (int) (from - tailFrom), (int) (to - from));
        if (seenFrom == seenTo || from > seenTo || to < seenFrom) {
            seenFrom = from; // a gap: what was seen before is kept, but no longer counts as a run
            seenTo = to;
        } else {
            seenFrom = Math.min(seenFrom, from);
            seenTo = Math.max(seenTo, to);
        }
    }

    /**
     * The one range still to read for head and tail to be whole, as {@code {position, length}}
     * (the whole tail when it has a gap), or {@code null} when nothing is missing. A file's head
     * and tail are asked for one after the other: call again after {@link #accept}.
     */
    public long[] missing() {
        if (headSeen < head.length) {
            return new long[] {headSeen, head.length - headSeen};
        }
        if (tail.length == 0 || seenFrom <= tailFrom && seenTo == size && seenFrom < seenTo) {
            return null;
        }
        if (seenTo == size && seenFrom > tailFrom) {
            return new long[] {tailFrom, seenFrom - tailFrom};
        }
        return new long[] {tailFrom, tail.length};
    }

    /** Checks the file from what was kept; {@link #missing} must be {@code null}. */
    public FooterCheck check() {
        if (missing() != null) {
            throw new IllegalStateException("head or tail incomplete: missing " + missing()[1] + " bytes at " + missing()[0]);
        }
        return ParquetFooter.check(size, ByteBuffer.wrap(head), ByteBuffer.wrap(tail));
    }
}
