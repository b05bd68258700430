package io.quantsinfra.lake.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;

/** The process entry point: the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new Cli(new Terminal(out, err, System.getenv(), Path.of("").toAbsolutePath(), ZoneId::systemDefault,
                System.console() != null)).run(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
