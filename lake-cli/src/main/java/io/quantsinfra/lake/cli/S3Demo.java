package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.demo.DemoS3Server;
import io.quantsinfra.lake.demo.DemoSftpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code demo --s3}: the demo's lake in a bucket of the embedded S3 server, synced and then counted by
 * {@code stats} through the same code paths as the commands, with the server's keys in the run's environment.
 */
final class S3Demo {
    /** The bucket the demo's lake lives in. */
    static final String BUCKET = "demo-lake";
    /** The key prefix of the lake in {@link #BUCKET}: {@code root_dir} is {@code s3://demo-lake/lake}. */
    static final String PREFIX = "lake";

    private final Terminal terminal;
    private final Path base;
    private final DemoS3Server s3;

    /**
     * @param terminal the demo's terminal, whose environment the sync gets with the server's keys added
     * @param base     the demo's directory: the config and the checkpoints go there
     * @param s3       the running server, with {@link #BUCKET}
     */
    S3Demo(Terminal terminal, Path base, DemoS3Server s3) {
        this.terminal = terminal;
        this.base = base;
        this.s3 = s3;
    }

    /** Writes the config, syncs the demo profile into the bucket, shows its stats and what to try next. */
    int run(DemoSftpServer sftp, boolean keepRunning) throws IOException {
        Path config = base.resolve("data_lake_s3.yml");
        Files.writeString(config, config(sftp));
        terminal.out().println("Serving bucket " + BUCKET + " over S3 at " + s3.endpoint() + " (embedded S3Proxy, objects in "
                + s3.directory() + ")");
        terminal.out().println("Config written to " + config);
        terminal.out().println();
        Cli cli = new Cli(terminal.withEnv(keys(terminal.env())));
        int code = cli.run("data-lake", "sync", DemoCommand.PROFILE, "--config", config.toString());
        if (code == ExitCode.OK) {
            terminal.out().println();
            code = cli.run("data-lake", "stats", DemoCommand.PROFILE, "--config", config.toString());
        }
        terminal.out().println();
        terminal.out().println(nextSteps(config, keepRunning));
        return code;
    }

    /** {@code env} with the server's keys; a session token of the user's own keys would be sent along, so it goes. */
    static Map<String, String> keys(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.remove("AWS_SESSION_TOKEN");
        all.put("AWS_ACCESS_KEY_ID", DemoS3Server.ACCESS_KEY);
        all.put("AWS_SECRET_ACCESS_KEY", DemoS3Server.SECRET_KEY);
        return all;
    }

    private String config(DemoSftpServer sftp) {
        return "# Written by `quants-infra data-lake demo --s3`: the demo's lake in the embedded S3 server's bucket.\n"
                + "# Its keys are not here: give AWS_ACCESS_KEY_ID=" + DemoS3Server.ACCESS_KEY + " and AWS_SECRET_ACCESS_KEY="
                + DemoS3Server.SECRET_KEY + "\n"
                + "data_lake:\n"
                + "  root_dir: s3://" + BUCKET + "/" + PREFIX + "\n"
                + "  checkpoint_dir: " + base.resolve("s3-state") + "\n"
                + "  object_store:\n"
                + "    endpoint: " + s3.endpoint() + "\n"
                + "    region: " + DemoS3Server.REGION + "\n"
                + "    path_style: true\n"
                + DemoCommand.profiles(sftp);
    }

    private String nextSteps(Path config, boolean keepRunning) {
        String c = " --config " + config;
        String objects = "The objects are files of S3Proxy's filesystem backend: find "
                + s3.objectFile(BUCKET, PREFIX + "/" + DemoCommand.SUBDIR) + " -type f\n";
        if (!keepRunning) {
            return objects + "With --s3 --keep-running both servers stay up, and the demo says how to reach the bucket.\n"
                    + "Then see docs/object-store.md to put your own lake in a bucket.";
        }
        return objects
                + "From another terminal:\n"
                + "  export AWS_ACCESS_KEY_ID=" + DemoS3Server.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + DemoS3Server.SECRET_KEY + "\n"
                + "  bin/quants-infra data-lake stats " + DemoCommand.PROFILE + c + "\n"
                + "  bin/quants-infra data-lake sync " + DemoCommand.PROFILE + c + " --dry-run   # the plan; changes nothing\n"
                + "  aws --endpoint-url " + s3.endpoint() + " s3 ls --recursive s3://" + BUCKET + "/\n"
                + "Then see docs/object-store.md to put your own lake in a bucket.";
    }
}
