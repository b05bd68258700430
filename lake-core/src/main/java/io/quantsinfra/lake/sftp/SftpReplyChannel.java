package io.quantsinfra.lake.sftp;

import java.io.IOException;
import java.nio.charset.Charset;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.SessionChannel;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;

/**
 * A session channel for the SFTP subsystem that cuts its data into SFTP replies as the data
 * arrives, on sshj's transport thread, and hands each to {@link Replies}. sshj's own engine
 * copies the data into the channel's stream, from which a thread of its own reads and copies
 * it again into a packet and once more into the reply: a hand-off between threads and three
 * copies of every byte, and a fourth by the JDK when the bytes are written to a file from the
 * heap. This makes one copy, into the reply's own array, or into a direct buffer for the
 * DATA of a large READ.
 *
 * <p>The window is given back as the data is taken; what the replies hold until they are
 * read is bounded by the requests in flight, which the caller bounds. Extended data (the
 * server's stderr) still goes to its stream.
 */
final class SftpReplyChannel extends SessionChannel {
    /** Where the replies go. Called on the transport's thread, one at a time. */
    interface Replies extends ReplyCutter.Target {
        /** The channel can deliver no more replies; called from any thread, perhaps more than once. */
        void fail(IOException cause);
    }

    private volatile Replies replies;
    /** Why no more replies come (a reply failed to parse, the channel ended); later data is dropped. */
    private volatile IOException failure;
    private final ReplyCutter cutter;

    private SftpReplyChannel(Connection conn, Charset remoteCharset, ReplyBuffers buffers) {
        super(conn, remoteCharset);
        this.cutter = new ReplyCutter(buffers);
    }

    /**
     * Opens a session channel on {@code conn} whose large replies go into {@code buffers};
     * {@link #deliverTo} must follow before any request is sent.
     */
    static SftpReplyChannel open(Connection conn, Charset remoteCharset, ReplyBuffers buffers)
            throws ConnectionException, TransportException {
        SftpReplyChannel channel = new SftpReplyChannel(conn, remoteCharset, buffers);
        channel.open();
        return channel;
    }

    /** Sends the channel's replies to {@code to}, and its failure if it failed already. */
    void deliverTo(Replies to) {
        this.replies = to;
        IOException cause = failure;
        if (cause != null) {
            to.fail(cause);
        }
    }

    @Override
    protected void receiveInto(ChannelInputStream stream, SSHPacket buf) throws SSHException {
        if (stream != getInputStream()) {
            super.receiveInto(stream, buf); // stderr
            return;
        }
        int len;
        try {
            len = buf.readUInt32AsInt();
        } catch (Buffer.BufferException e) {
            throw new ConnectionException(e);
        }
        if (len < 0 || len > getLocalMaxPacketSize() || len > buf.available()) {
            throw new ConnectionException(DisconnectReason.PROTOCOL_ERROR, "Bad item length: " + len);
        }
        lwin.consume(len);
        if (failure == null) {
            try {
                cutter.cut(buf.array(), buf.rpos(), len, this::deliver);
            } catch (SFTPException e) {
                fail(e);
            }
        }
        long adjustment = lwin.neededAdjustment();
        if (adjustment > 0) {
            trans.write(new SSHPacket(Message.CHANNEL_WINDOW_ADJUST).putUInt32FromInt(getRecipient()).putUInt32(adjustment));
            lwin.expand(adjustment);
        }
    }

    private void deliver(SftpReply reply) throws SFTPException {
        Replies to = replies;
        if (to == null) {
            throw new SFTPException("the server sent an SFTP message before it was asked anything");
        }
        to.reply(reply);
    }

    private void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        Replies to = replies;
        if (to != null) {
            to.fail(cause);
        }
    }

    @Override
    public void notifyError(SSHException error) {
        super.notifyError(error);
        fail(error);
    }

    @Override
    protected void eofInputStreams() {
        super.eofInputStreams();
        fail(new SFTPException("the server ended the SFTP session"));
    }

    @Override
    protected void closeAllStreams() {
        super.closeAllStreams();
        fail(new SFTPException("the SFTP session was closed"));
    }
}
