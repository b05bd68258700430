package io.quantsinfra.lake;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Path;

/** The {@link RemoteFs} contract against the embedded MINA server, whose remote "/" is the served tree. */
class MinaRemoteFsTest extends RemoteFsContract {
    private SftpTestServer server;

    @Override
    protected void startServer(Path dir) throws IOException {
        server = SftpTestServer.builder(dir.resolve("root")).keyDirectory(dir.resolve("keys")).start();
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
        return "/" + relative;
    }

    @Override
    protected void connection(DataLakeConfig.ProfileBuilder p) {
        p.host(server.host()).port(server.port()).user(server.user()).sshKey(server.clientKeyFile())
                .knownHosts(server.knownHostsFile()).remoteRoot("/");
    }
}
