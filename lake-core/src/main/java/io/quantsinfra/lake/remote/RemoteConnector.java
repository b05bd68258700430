package io.quantsinfra.lake.remote;

import io.quantsinfra.lake.config.Profile;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Opens a {@link RemoteFs} on a profile's source: the seam between the sync engine and a
 * protocol. lake-core's own is {@link io.quantsinfra.lake.sftp.SftpConnector} (SFTP over SSH);
 * a test or an embedding service may pass another to {@link io.quantsinfra.lake.DataLake}.
 */
@FunctionalInterface
public interface RemoteConnector {
    /**
     * Connects, authenticates and opens the remote file system. A run calls it once, and again
     * for each reconnect, possibly from several threads.
     *
     * @param profile the profile whose {@code source} to reach
     * @param env     environment variables, e.g. for a key passphrase the config names
     * @throws io.quantsinfra.lake.LakeException of kind {@code CONNECTION}, with the cause and its fix
     */
    RemoteFs connect(Profile profile, Map<String, String> env);

    /**
     * Like {@link #connect(Profile, Map)}, telling {@code warnings} what the user should hear that
     * does not stop the connection, e.g. a key file ignored because others may read it. This
     * default tells nothing.
     */
    default RemoteFs connect(Profile profile, Map<String, String> env, Consumer<String> warnings) {
        return connect(profile, env);
    }
}
