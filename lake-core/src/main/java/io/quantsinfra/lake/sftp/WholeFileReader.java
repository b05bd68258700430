package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.remote.RemoteFs.Item;
import io.quantsinfra.lake.remote.RemoteFs.Whole;
import io.quantsinfra.lake.remote.RemoteFs.WholeRead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Reads small files whole for {@link SshjRemoteFs}, many in one group: their OPENs in one
 * packet, then their READs, FSTATs and CLOSEs in another, asking again for what short replies
 * left out ({@link WholePieces}). The files hold their session's handle permits
 * ({@link HandlePermits}) until their CLOSEs are sent and their share of the READ budget until
 * their bytes are given back.
 */
final class WholeFileReader {
    private final SharedReadState state;
    private final SftpErrorMapper errors;

    /**
     * @param state  the connection's READ budget and READ limit
     * @param errors the connection's error mapping
     */
    WholeFileReader(SharedReadState state, SftpErrorMapper errors) {
        this.state = state;
        this.errors = errors;
    }

    /**
     * Reads several files whole at once, as {@link RemoteFs#readWhole} says.
     *
     * @param sftp  the session to read on
     * @param reads the files, each at most {@link RemoteFs#GROUP_READ_MAX} long
     * @return one result per read, in order; a file's own failure is in its result
     * @throws IOException when the link fails
     */
    List<Whole> readWhole(SftpSession sftp, List<WholeRead> reads) throws IOException {
        sftp.handles().take(reads.size(), reads.size() + " files");
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable closesSent = () -> {
            if (held.getAndSet(false)) {
                sftp.handles().release(reads.size()); // every handle's CLOSE is sent, or it never opened
            }
        };
        try {
            return errors.call(reads.get(0).path(), () -> readWhole(sftp, reads, closesSent));
        } finally {
            closesSent.run();
        }
    }

    /** A file of {@link #readWhole} whose OPEN was answered, and where its replies are. */
    private record Opened(int index, byte[] handle, WholePieces pieces, List<long[]> reads, int firstReply, boolean closedAtOnce) {
    }

    /**
     * OPENs in one packet; then READs, FSTATs and CLOSEs in one. The handles' permits go back
     * ({@code closesSent}) once the CLOSEs are out, not when they are answered: a server works
     * through a channel's requests in order, so it has closed them before it opens anything asked
     * for later, and a handle counts against the bound for one round trip instead of two.
     *
     * <p>The READ budget is taken once the files are open, so that it is not held through the
     * OPENs' round trip. Small files' bytes are views of their replies' own arrays, which the
     * caller bounds: their budget goes back on return. Larger ones stay in shared reply buffers,
     * and each keeps its share until its result is closed.
     *
     * <p>A file longer than one READ is read in READs of the size the server is known to answer
     * (see {@link SharedReadState#readLimit()}). Until it was seen to answer that size in full,
     * a short reply may leave a gap before the next one: such a file's CLOSE waits until the
     * gaps are asked for.
     */
    private List<Whole> readWhole(SftpSession sftp, List<WholeRead> reads, Runnable closesSent) throws IOException {
        boolean holds = reads.stream().anyMatch(r -> RemoteFs.holdsBudget(r.length()));
        int[] shares = reads.stream().mapToInt(r -> state.kib(r.length())).toArray();
        int kib = Arrays.stream(shares).sum();
        if (kib > state.budgetKib()) {
            throw new IllegalArgumentException("reads of " + kib + " KiB at once, over the READ budget of " + state.budgetKib());
        }
        List<Request> opens = new ArrayList<>();
        for (WholeRead r : reads) {
            opens.add(sftp.openForReading(r.path()));
        }
        List<SftpSession.PendingReply> handles = sftp.requestAll(opens);
        ReadLimit known = state.readLimit();
        Whole[] out = new Whole[reads.size()];
        List<Opened> opened = new ArrayList<>();
        List<Request> rest = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            try {
                byte[] handle = sftp.await(handles.get(i)).expect(PacketType.HANDLE).readBytes();
                int length = reads.get(i).length();
                // a short reply can only mean that the file ended: one READ within every server's
                // limit, or READs of a size this server answered in full
                boolean closeAtOnce = length <= RemoteFs.WHOLE_READ_MAX || known.answeredInFull();
                WholePieces pieces = new WholePieces(length);
                List<long[]> asked = pieces.gapReads(known.size()); // nothing here yet: the whole length
                opened.add(new Opened(i, handle, pieces, asked, rest.size(), closeAtOnce));
                rest.addAll(readRequests(sftp, handle, asked));
                rest.add(sftp.newRequest(PacketType.FSTAT).putString(handle));
                if (closeAtOnce) {
                    rest.add(sftp.newRequest(PacketType.CLOSE).putString(handle));
                }
            } catch (SFTPException e) {
                out[i] = Whole.failed(errors.mapped(e, reads.get(i).path()));
            }
        }
        List<Request> laterCloses = new ArrayList<>();
        List<SftpReply> taken = new ArrayList<>(); // every reply whose bytes may be in a buffer
        boolean handedOut = false;
        state.takeBudget(kib, reads.size() + " files"); // holding no other budget: nothing waits on this worker
        try {
            List<SftpSession.PendingReply> replies = rest.isEmpty() ? List.of() : sftp.requestAll(rest);
            if (opened.stream().allMatch(Opened::closedAtOnce)) {
                closesSent.run();
            }
            for (Opened o : opened) {
                String path = reads.get(o.index()).path();
                List<SftpReply> mine = new ArrayList<>();
                int k = 0;
                try {
                    WholePieces pieces = o.pieces();
                    for (; k < o.reads().size(); k++) {
                        SftpReply res = sftp.await(replies.get(o.firstReply() + k));
                        mine.add(res);
                        taken.add(res);
                        pieces.add(o.reads().get(k)[0], (int) o.reads().get(k)[1], res);
                    }
                    SftpReply status = sftp.await(replies.get(o.firstReply() + o.reads().size()));
                    pieces.tellSizes(state::learn);
                    if (o.closedAtOnce()) {
                        sftp.await(replies.get(o.firstReply() + o.reads().size() + 1)); // a failed CLOSE fails the file
                    } else if (pieces.hasGaps()) {
                        status = fillGaps(sftp, o.handle(), pieces, mine, taken);
                    }
                    Item attrs = SftpAttributes.read(path, status.expect(PacketType.ATTRS));
                    int share = shares[o.index()];
                    out[o.index()] = new Whole(pieces.fromStart(), attrs, null,
                            holds ? releaseOnce(mine, () -> state.releaseBudget(share)) : NOTHING);
                } catch (SFTPException e) {
                    mine.forEach(SftpReply::release);
                    for (k++; k < o.reads().size(); k++) {
                        sftp.discard(replies.get(o.firstReply() + k)); // READs behind the one that failed
                    }
                    out[o.index()] = Whole.failed(errors.mapped(e, path));
                } finally {
                    if (!o.closedAtOnce()) {
                        laterCloses.add(sftp.newRequest(PacketType.CLOSE).putString(o.handle()));
                    }
                }
            }
            if (!laterCloses.isEmpty()) {
                sftp.requestAll(laterCloses); // not waited for: the bytes are here
            }
            handedOut = true;
        } finally {
            closesSent.run();
            if (!handedOut) {
                taken.forEach(SftpReply::release); // the link failed: nothing is handed out
                state.releaseBudget(kib);
            }
        }
        if (!holds) {
            state.releaseBudget(kib);
        } else {
            for (int i = 0; i < out.length; i++) {
                if (out[i].error() != null) {
                    state.releaseBudget(shares[i]); // a failed file holds nothing
                }
            }
        }
        return List.of(out);
    }

    private static final Runnable NOTHING = () -> { };

    /** Gives the replies back, and the file's share of the budget ({@code budgetBack}), once. */
    private static Runnable releaseOnce(List<SftpReply> replies, Runnable budgetBack) {
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                replies.forEach(SftpReply::release);
                budgetBack.run();
            }
        };
    }

    /**
     * Asks for what short replies left out, with READs of the size the server gave, until the
     * bytes from the start are whole or the file ends; then for the file's status again, as it
     * is after these READs.
     */
    private SftpReply fillGaps(SftpSession sftp, byte[] handle, WholePieces pieces, List<SftpReply> mine,
                               List<SftpReply> taken) throws IOException {
        while (pieces.hasGaps()) {
            List<long[]> asked = pieces.gapReads(state.readLimit().size());
            List<SftpSession.PendingReply> replies = sftp.requestAll(readRequests(sftp, handle, asked));
            long before = pieces.whole();
            for (int k = 0; k < asked.size(); k++) {
                SftpReply res = sftp.await(replies.get(k));
                mine.add(res);
                taken.add(res);
                pieces.add(asked.get(k)[0], (int) asked.get(k)[1], res);
            }
            pieces.tellSizes(state::learn);
            if (pieces.whole() == before) {
                break; // nothing more came from where the bytes stop: take what is whole
            }
        }
        return sftp.await(sftp.request(sftp.newRequest(PacketType.FSTAT).putString(handle)));
    }

    /** READs on {@code handle} of the {@code asked} (offset, length) pairs. */
    private static List<Request> readRequests(SftpSession sftp, byte[] handle, List<long[]> asked) {
        List<Request> out = new ArrayList<>();
        for (long[] a : asked) {
            out.add(sftp.newRequest(PacketType.READ).putString(handle).putUInt64(a[0]).putUInt32((int) a[1]));
        }
        return out;
    }
}
