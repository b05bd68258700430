package io.quantsinfra.lake;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.nio.file.Path;

/** The {@link RemoteFs} contract against a throwaway OpenSSH sshd, what users run. */
class OpenSshRemoteFsTest extends RemoteFsContract {
    private OpenSshServer server;

    @Override
    protected void startServer(Path dir) throws IOException {
        server = OpenSshServer.start(dir);
    }

    @Override
    protected void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected Path servedRoot() {
        return server.servedRoot();
    }

    @Override
    protected String remote(String relative) {
        return relative.isEmpty() ? server.servedRoot().toString() : server.servedRoot() + "/" + relative;
    }

    @Override
    protected void connection(DataLakeConfig.ProfileBuilder p) {
        p.host(server.host()).port(server.port()).user(server.user()).sshKey(server.clientKeyFile())
                .knownHosts(server.knownHostsFile()).remoteRoot(server.servedRoot().toString());
    }
}
