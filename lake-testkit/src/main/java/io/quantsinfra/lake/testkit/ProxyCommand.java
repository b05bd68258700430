package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What {@link FaultProxy} and {@link LatencyProxy} do as programs: read the options, start the proxy, print the
 * line that says where it listens (scripts wait for it), and run until killed or {@code --max-seconds} pass.
 */
final class ProxyCommand {

    /** A proxy started from the command line. */
    interface Running {
        /** Waits until the proxy is closed or {@code timeout} passes. */
        boolean awaitClosed(Duration timeout) throws InterruptedException;

        /** Stops the proxy; calling it again does nothing. */
        void close();
    }

    /** Starts the proxy the options describe. */
    @FunctionalInterface
    interface Starter {
        /**
         * Starts the proxy.
         *
         * @throws IllegalArgumentException if an option's value is out of range
         * @throws IOException if the proxy cannot listen
         */
        Started start(ProxyArguments arguments) throws IOException;
    }

    /**
     * A started proxy and the line that announces it.
     *
     * @param proxy the running proxy
     * @param listeningLine {@code listening on 127.0.0.1:PORT -> ...}
     */
    record Started(Running proxy, String listeningLine) {
    }

    private final String program;
    private final String usage;
    private final Set<String> options;

    /**
     * Describes a proxy program.
     *
     * @param program its name in messages, e.g. {@code FaultProxy}
     * @param usage the text {@code --help} prints
     * @param options the options it takes besides {@code --help}, by name with their dashes
     */
    ProxyCommand(String program, String usage, Set<String> options) {
        this.program = program;
        this.usage = usage;
        this.options = Set.copyOf(options);
    }

    /**
     * Runs the program.
     *
     * @return 0 after {@code --max-seconds} or when the proxy is closed, 1 if it cannot listen, 2 on a usage error
     */
    int run(String[] args, PrintStream out, PrintStream err, Starter starter) {
        ProxyArguments arguments;
        try {
            arguments = ProxyArguments.parse(List.of(args), options);
            if (arguments.help()) {
                out.println(usage);
                return 0;
            }
            if (!arguments.values().containsKey("--target")) {
                throw new IllegalArgumentException("--target PORT is required");
            }
        } catch (IllegalArgumentException e) {
            String message = e instanceof NumberFormatException ? "not a number: " + e.getMessage() : e.getMessage();
            err.println(program + ": " + message);
            err.println(usage);
            return 2;
        }
        Started started;
        try {
            started = starter.start(arguments);
        } catch (IllegalArgumentException e) {
            err.println(program + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(program + ": cannot listen on " + LoopbackListener.HOST + ":" + arguments.get("--listen", 0)
                    + ": " + e.getMessage());
            return 1;
        }
        runUntilClosed(started, arguments.get("--max-seconds", 0), out);
        return 0;
    }

    private void runUntilClosed(Started started, long maxSeconds, PrintStream out) {
        Running proxy = started.proxy();
        Thread hook = new Thread(proxy::close, program + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(started.listeningLine());
        out.flush();
        try {
            proxy.awaitClosed(maxSeconds > 0 ? Duration.ofSeconds(maxSeconds) : Duration.ofNanos(Long.MAX_VALUE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            proxy.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
