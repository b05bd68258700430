package io.quantsinfra.lake.testkit;

import java.io.IOException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP subsystem whose DATA replies claim more bytes than they carry, as a broken or hostile
 * server might send them: the second half of each reply's data is cut off, its length field left
 * as it was. The SFTP and SSH framing stay valid, so only a client that checks the inner length
 * against the reply notices.
 */
final class ShortDataSftpFactory extends SftpSubsystemFactory {
    /** Length (4), type (1) and request id (4) precede a DATA reply's data length. */
    private static final int DATA_LENGTH_AT = 9;

    @Override
    public Command createSubsystem(ChannelSession channel) throws IOException {
        SftpSubsystem subsystem = new SftpSubsystem(channel, this) {
            @Override
            protected void send(Buffer buffer) throws IOException {
                byte[] a = buffer.array();
                int start = buffer.rpos();
                if (buffer.available() > DATA_LENGTH_AT + 4 && a[start + 4] == SftpConstants.SSH_FXP_DATA) {
                    int claimed = (a[start + DATA_LENGTH_AT] & 0xff) << 24 | (a[start + DATA_LENGTH_AT + 1] & 0xff) << 16
                            | (a[start + DATA_LENGTH_AT + 2] & 0xff) << 8 | a[start + DATA_LENGTH_AT + 3] & 0xff;
                    buffer.wpos(buffer.wpos() - (claimed + 1) / 2);
                }
                super.send(buffer);
            }
        };
        getRegisteredListeners().forEach(subsystem::addSftpEventListener);
        return subsystem;
    }
}
