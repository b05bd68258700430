package io.quantsinfra.lake.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A terminal whose output is held until its profile ends, so that profiles synced at once print
 * whole reports instead of interleaved lines: its stdout goes to stdout and its stderr to
 * stderr, each in one piece.
 */
final class HeldOutput {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal;

    /** Holds what is printed to a terminal like {@code real}, which nobody watches live. */
    HeldOutput(Terminal real) {
        this.terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), real.env(), real.cwd(), real.zones(), false);
    }

    /** The terminal to print to. */
    Terminal terminal() {
        return terminal;
    }

    /** Whether anything went to stdout. */
    boolean printed() {
        return out.size() > 0;
    }

    /** Prints what was held to {@code real}'s streams: the report, then its errors and warnings. */
    void printTo(Terminal real) {
        real.out().write(out.toByteArray(), 0, out.size());
        real.out().flush();
        real.err().write(err.toByteArray(), 0, err.size());
        real.err().flush();
    }
}
