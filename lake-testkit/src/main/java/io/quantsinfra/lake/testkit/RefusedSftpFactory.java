package io.quantsinfra.lake.testkit;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP subsystem factory that makes no subsystem, for a server that accepts logins but not SFTP, like an sshd
 * whose {@code Subsystem sftp} line is missing: MINA refuses the "sftp" request as it refuses a subsystem it does
 * not know.
 */
final class RefusedSftpFactory extends SftpSubsystemFactory {

    @Override
    public Command createSubsystem(ChannelSession channel) {
        return null;
    }
}
