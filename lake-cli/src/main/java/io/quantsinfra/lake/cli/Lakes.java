package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.s3.S3LakeStores;
import io.quantsinfra.lake.sftp.SftpConnector;
import java.util.Map;

/**
 * The lake a configuration describes: profiles in local directories, or, for
 * {@code root_dir: s3://…}, in a bucket through lake-s3. The process ends with the command, so
 * the store's client is not closed: it holds no thread that would keep the JVM up.
 */
final class Lakes {
    private Lakes() {
    }

    /**
     * A lake over {@code config}, reaching sources over SFTP; a bucket with the credentials of
     * {@code env}, the run's environment, or the AWS SDK's default chain.
     */
    static DataLake open(DataLakeConfig config, Map<String, String> env) {
        return config.objectStore()
                .map(root -> new DataLake(config, new SftpConnector(), S3LakeStores.connect(root, env)))
                .orElseGet(() -> new DataLake(config));
    }
}
