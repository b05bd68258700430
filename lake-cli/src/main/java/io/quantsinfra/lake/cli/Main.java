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

    /**
     * Idle HTTP connections the JDK keeps per host. Its default, 5, is far below the requests a
     * sync sends an object store at once (a PUT per publisher, 16 listing requests): every
     * request beyond five would open a new connection. Read once, when the JDK's HTTP client
     * first loads, so it is set before anything else; a -D on the command line wins.
     */
    private static final String HTTP_CONNECTIONS = "64";

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", HTTP_CONNECTIONS);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new Cli(new Terminal(out, err, System.getenv(), Path.of("").toAbsolutePath(), ZoneId::systemDefault,
                System.console() != null)).run(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
