package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs.Item;
import io.quantsinfra.lake.remote.RemoteFs.Listing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Lists remote directories for {@link SshjRemoteFs}, many at once with pipelined OPENDIRs and
 * READDIRs, each directory holding one of its session's handle permits while it is open.
 */
final class RemoteLister {
    /** READDIRs sent at once; OpenSSH answers each with up to 100 names. */
    private static final int READDIR_BATCH = 3;

    private final SftpErrorMapper errors;

    /** @param errors the connection's error mapping */
    RemoteLister(SftpErrorMapper errors) {
        this.errors = errors;
    }

    /**
     * Lists directories in two round trips where sshj's {@code ls} takes four per directory:
     * all their OPENDIRs in one packet, then several READDIRs for each (a reply holds about a
     * hundred names) in one packet, again for those not finished, and their CLOSEs, which
     * nobody waits for.
     *
     * @param sftp the session to list on
     * @param dirs absolute remote paths
     * @return one listing per directory, in order; a directory's own failure is in its listing
     * @throws IOException when the link fails
     */
    List<Listing> listAll(SftpSession sftp, List<String> dirs) throws IOException {
        sftp.handles().take(dirs.size(), dirs.size() + " directories");
        try {
            return errors.call(dirs.get(0), () -> readDirectories(sftp, dirs));
        } finally {
            sftp.handles().release(dirs.size()); // every handle's CLOSE is sent, or it never opened
        }
    }

    private List<Listing> readDirectories(SftpSession sftp, List<String> dirs) throws IOException {
        List<Request> opens = new ArrayList<>();
        for (String dir : dirs) {
            opens.add(sftp.newRequest(PacketType.OPENDIR).putString(dir, sftp.charset()));
        }
        List<SftpSession.PendingReply> opened = sftp.requestAll(opens);
        Listing[] out = new Listing[dirs.size()];
        byte[][] handles = new byte[dirs.size()][];
        List<List<Item>> items = new ArrayList<>();
        List<Integer> reading = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            items.add(new ArrayList<>());
            try {
                handles[i] = sftp.await(opened.get(i)).expect(PacketType.HANDLE).readBytes();
                reading.add(i);
            } catch (SFTPException e) {
                out[i] = new Listing(null, errors.mapped(e, dirs.get(i)));
            }
        }
        try {
            while (!reading.isEmpty()) {
                List<Request> batch = new ArrayList<>();
                for (int i : reading) {
                    for (int k = 0; k < READDIR_BATCH; k++) {
                        batch.add(sftp.newRequest(PacketType.READDIR).putString(handles[i]));
                    }
                }
                List<SftpSession.PendingReply> replies = sftp.requestAll(batch);
                List<Integer> unfinished = new ArrayList<>();
                for (int n = 0; n < reading.size(); n++) {
                    int i = reading.get(n);
                    try {
                        boolean eof = false;
                        for (int k = 0; k < READDIR_BATCH; k++) {
                            SftpReply res = sftp.await(replies.get(n * READDIR_BATCH + k));
                            eof = eof || readNames(res, items.get(i)); // replies past the end are skipped
                        }
                        if (eof) {
                            out[i] = new Listing(items.get(i), null);
                        } else {
                            unfinished.add(i);
                        }
                    } catch (SFTPException e) {
                        out[i] = new Listing(null, errors.mapped(e, dirs.get(i)));
                    }
                }
                reading = unfinished;
            }
        } finally {
            List<Request> closes = new ArrayList<>();
            for (byte[] handle : handles) {
                if (handle != null) {
                    closes.add(sftp.newRequest(PacketType.CLOSE).putString(handle));
                }
            }
            if (!closes.isEmpty() && errors.connected()) {
                sftp.requestAll(closes);
            }
        }
        return List.of(out);
    }

    /** Moves past an SFTP string without reading it. */
    private static void skipString(Buffer<?> buffer) throws Buffer.BufferException {
        int length = buffer.readUInt32AsInt();
        if (length < 0 || length > buffer.available()) {
            throw new Buffer.BufferException("a string of " + length + " bytes where " + buffer.available() + " remain");
        }
        buffer.rpos(buffer.rpos() + length);
    }

    /** Adds the names of a READDIR reply to {@code items}; whether it said the listing ended. */
    private static boolean readNames(SftpReply res, List<Item> items) throws IOException {
        if (res.type() == PacketType.STATUS) {
            res.expectStatus(Response.StatusCode.EOF);
            return true;
        }
        Buffer<?> names = res.expect(PacketType.NAME);
        int count = names.readUInt32AsInt();
        for (int i = 0; i < count; i++) {
            // decoded strictly: a lossy decoding would list a name that is not there, one for several
            byte[] raw = names.readStringAsBytes();
            Optional<String> name = WireNames.utf8(raw);
            skipString(names); // the long name, meant for people: never decoded
            Item item = SftpAttributes.read(name.orElseGet(() -> WireNames.escaped(raw)), names);
            if (name.isEmpty()) {
                items.add(item.nameNotText());
            } else if (!name.get().equals(".") && !name.get().equals("..")) {
                items.add(item);
            }
        }
        return false;
    }
}
