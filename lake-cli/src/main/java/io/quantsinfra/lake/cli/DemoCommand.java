package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.demo.DemoS3Server;
import io.quantsinfra.lake.demo.DemoSftpServer;
import io.quantsinfra.lake.demo.ParquetPartWriter;
import io.quantsinfra.lake.demo.SampleLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;

/**
 * {@code demo}: serves a generated sample lake over an embedded SFTP server on 127.0.0.1,
 * writes a config for it, and runs a real {@code sync} through the same code path as the
 * command. Needs no SSH server or client on the machine. With {@code --s3} the lake is a bucket
 * of an embedded S3 server ({@link S3Demo}).
 */
@Parameters(commandDescription = "Serve a sample lake over an embedded SFTP server, sync it, and show the result")
final class DemoCommand implements Command {
    static final String PROFILE = "demo";
    /** The profile's {@code local_subdir}: a directory of the local lake, a key prefix in the bucket. */
    static final String SUBDIR = "demo_ticks";

    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @Parameter(names = "--dir", description = "Where the demo keeps its sample remote, keys, config and lake")
    private String dir = ".demo";

    @Parameter(names = "--s3", description = "Sync into a bucket of an embedded S3 server (S3Proxy, objects in DIR/s3) instead of a local directory")
    private boolean s3;

    @Parameter(names = "--keep-running", description = "Keep the SFTP server (with --s3 also the S3 server) up after the sync, until Ctrl-C")
    private boolean keepRunning;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public boolean mayConnect() {
        return true;
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake demo\n"
                + "  quants-infra data-lake demo --keep-running   # then try sync/stats in another terminal\n"
                + "  quants-infra data-lake demo --s3             # the lake in a bucket of an embedded S3Proxy";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        Path base = t.cwd().resolve(dir).normalize();
        Path remote = base.resolve("remote");
        try {
            if (!Files.isDirectory(remote)) {
                t.out().println("Generating a sample remote lake in " + remote + " ...");
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                SampleLake.builder().exchanges("gate_io", "binance").symbols("BTC-USDT", "ETH-USDT")
                        .days(40).endingOn(today).partsPerDay(3).partSize(8 * 1024, 160 * 1024)
                        .seed(2024).writeTo(remote);
                // Parts of 8-160 KiB are read whole in groups (in one READ under 32 KiB, else in several),
                // and one of 2 MiB is streamed: the demo runs every path, and the launcher records its
                // class-data-sharing archive from it.
                Path large = remote.resolve(SampleLake.directoryName("gate_io", "BTC-USDT", today))
                        .resolve(SampleLake.partFileName(4));
                new ParquetPartWriter().write(large, 2 * 1024 * 1024, 2024, today);
                Files.setLastModifiedTime(large, FileTime.from(SampleLake.modificationTime(today, 4)));
            }
            try (DemoSftpServer server = DemoSftpServer.builder(remote).keyDirectory(base.resolve("keys")).start();
                    DemoS3Server bucket = s3 ? DemoS3Server.start(base.resolve("s3"), S3Demo.BUCKET) : null) {
                t.out().println("Serving " + remote + " over SFTP at " + server.user() + "@" + server.host() + ":"
                        + server.port() + " (embedded Apache MINA SSHD, host key in " + server.knownHostsFile() + ")");
                int code = bucket == null ? runLocal(t, server, base) : new S3Demo(t, base, bucket).run(server, keepRunning);
                if (keepRunning) {
                    t.out().println(bucket == null ? "The server stays up at port " + server.port() + "; press Ctrl-C to stop it."
                            : "The servers stay up, SFTP at port " + server.port() + " and S3 at port " + bucket.port()
                                    + "; press Ctrl-C to stop them.");
                    waitForSignal();
                }
                return code;
            }
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, base.toString(), "the demo cannot set up " + base + ": " + e,
                    "run it from a writable directory, or pass --dir", e);
        }
    }

    private int runLocal(Terminal t, DemoSftpServer server, Path base) throws IOException {
        Path config = base.resolve("data_lake.yml");
        Files.writeString(config, "# Written by `quants-infra data-lake demo`: a profile for the embedded SFTP server.\n"
                + "data_lake:\n"
                + "  root_dir: " + base.resolve("lake") + "\n"
                + profiles(server));
        t.out().println("Config written to " + config);
        t.out().println();
        int code = new Cli(t).run("data-lake", "sync", PROFILE, "--config", config.toString());
        t.out().println();
        t.out().println(nextSteps(config, base));
        return code;
    }

    /** The {@code profiles:} section of both demo configs: the one profile, served by the embedded SFTP server. */
    static String profiles(DemoSftpServer server) {
        return "  profiles:\n"
                + "    " + PROFILE + ":\n"
                + "      source:\n"
                + "        type: ssh\n"
                + "        host: " + server.host() + "\n"
                + "        port: " + server.port() + "\n"
                + "        user: " + server.user() + "\n"
                + "        ssh_key: " + server.clientKeyFile() + "\n"
                + "        known_hosts: " + server.knownHostsFile() + "\n"
                + "        remote_root: /\n"
                + "      local_subdir: " + SUBDIR + "\n"
                + "      retention_days: 30\n"
                + "      rsync_args: \"-a --partial --delete\"\n";
    }

    private static String nextSteps(Path config, Path base) {
        String c = " --config " + config;
        return "What to try next:\n"
                + "  bin/quants-infra data-lake stats " + PROFILE + c + "             # size, rows, dates, last sync; no server needed\n"
                + "  bin/quants-infra data-lake cleanup " + PROFILE + c + " --dry-run # what retention would delete\n"
                + "  duckdb -c \"SELECT count(*) FROM '" + base.resolve("lake").resolve(SUBDIR) + "/**/*.parquet'\"  # real Parquet\n"
                + "With --keep-running the server stays up; then, from another terminal:\n"
                + "  bin/quants-infra data-lake validate --check-remote" + c + "\n"
                + "  bin/quants-infra data-lake sync " + PROFILE + c + " --dry-run   # the plan; changes nothing\n"
                + "  bin/quants-infra data-lake sync " + PROFILE + c + "             # again: transfers nothing\n"
                + "Then copy config/data_lake.example.yml to config/data_lake.yml and point it at your collectors.";
    }

    private static void waitForSignal() {
        CountDownLatch forever = new CountDownLatch(1);
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
