package io.quantsinfra.lake.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a resolved configuration against the local machine: things that will not stop it from
 * loading but that the user should hear about before the first sync.
 */
final class ConfigWarnings {
    private ConfigWarnings() {
    }

    static List<Finding> check(DataLakeConfig config) {
        List<Finding> out = new ArrayList<>();
        config.rootDir().ifPresent(root -> checkRoot(root, out));
        for (Profile p : config.profiles().values()) {
            String at = "profiles." + p.name();
            Path key = p.source().sshKey();
            if (!Files.exists(key)) {
                if (p.source().isExplicit(SshSource.Key.SSH_KEY)) {
                    out.add(new Finding(at + ".source.ssh_key", "key file " + key + " does not exist; sync will fail to"
                            + " authenticate unless ssh-agent holds a key the server accepts"));
                }
            } else {
                KeyFilePermissions.tooOpen(key).ifPresent(mode -> out.add(new Finding(at + ".source.ssh_key",
                        "key file " + key + " has permissions " + mode + ", open to group or others: sync ignores it,"
                                + " as ssh does; " + KeyFilePermissions.fix(key))));
            }
            if (p.rsync().inplace() && p.objectLocation().isPresent()) {
                out.add(new Finding(at + ".rsync_args", "--inplace has no effect on a lake in a bucket: each object"
                        + " appears whole when its upload completes"));
            } else if (p.rsync().inplace()) {
                out.add(new Finding(at + ".rsync_args", "--inplace makes files visible to readers of the lake while they"
                        + " are still being written" + (p.parquetParts().patterns().isEmpty() ? ""
                        : " (not Parquet parts matching parquet_patterns: those are published whole once complete)")
                        + (p.rsyncArgs().equals(ConfigResolver.DEFAULT_RSYNC_ARGS)
                        ? " (the default rsync_args \"" + ConfigResolver.DEFAULT_RSYNC_ARGS + "\" includes it)" : "")
                        + "; drop it to publish each file atomically"));
            }
            if (p.rsync().compress()) {
                out.add(new Finding(at + ".rsync_args", "-z compresses the SSH transport, but Parquet files are compressed"
                        + " already: the server deflates them for nothing and a sync on a fast link takes several times as"
                        + " long" + (p.rsyncArgs().equals(ConfigResolver.DEFAULT_RSYNC_ARGS)
                        ? " (the default rsync_args \"" + ConfigResolver.DEFAULT_RSYNC_ARGS + "\" includes it)" : "")
                        + "; drop it unless the remote holds uncompressed files and the link is slow"));
            }
        }
        return out;
    }

    /** A local root: a bucket's is not checked here, since that would mean a request to the store. */
    private static void checkRoot(Path root, List<Finding> out) {
        if (!Files.exists(root)) {
            out.add(new Finding("root_dir", root + " does not exist yet; the first sync will create it"));
        } else if (!Files.isDirectory(root)) {
            out.add(new Finding("root_dir", root + " exists but is not a directory; sync will fail until it is"));
        } else if (!Files.isWritable(root)) {
            out.add(new Finding("root_dir", root + " is not writable by this user; sync will fail until it is"));
        }
    }
}
