package io.quantsinfra.lake.cli;

/** One {@code quants-infra data-lake} subcommand. Implementations are JCommander parameter objects. */
interface Command {
    /** The name typed after {@code data-lake}. */
    String name();

    /** Example invocations shown at the end of {@code --help}. */
    String examples();

    /** More that {@code --help} says between the options and the exit codes, as lines; empty for none. */
    default String moreHelp() {
        return "";
    }

    /** The options every command shares. */
    CommonOptions common();

    /** Whether it may connect to a remote host: then the CLI prepares for that while it parses. */
    default boolean mayConnect() {
        return false;
    }

    /** Runs the command and returns its exit code; library failures are thrown. */
    int run(Terminal terminal);
}
