package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;

/** Options every command accepts. */
final class CommonOptions {
    /** The environment variable that overrides the default config path. */
    static final String CONFIG_ENV = "DATA_LAKE_CONFIG";
    static final String DEFAULT_CONFIG = "config/data_lake.yml";

    @Parameter(names = "--config", description = "Config file (default: $" + CONFIG_ENV + ", else " + DEFAULT_CONFIG + ")")
    String config;

    @Parameter(names = {"-v", "--verbose"}, description = "Say more; show stack traces of errors")
    boolean verbose;

    @Parameter(names = "-vv", description = "Like -v, and the libraries' debug logging (SSH, SFTP) on stderr")
    boolean debug;

    @Parameter(names = {"-q", "--quiet"}, description = "Print errors only (stats still prints the stats)")
    boolean quiet;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    boolean help;
}
