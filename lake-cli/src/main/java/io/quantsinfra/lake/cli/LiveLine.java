package io.quantsinfra.lake.cli;

import java.io.PrintStream;

/**
 * A line redrawn in place on a terminal's stderr: {@code \r} and ANSI "erase to end of line"
 * before each frame, and erased before any other line is printed. Not thread-safe: its owner
 * serializes the calls.
 */
final class LiveLine {
    /** Erases the current line: carriage return, then ANSI "erase to end of line". */
    private static final String ERASE = "\r\033[K";

    private final PrintStream err;
    private boolean shown;

    LiveLine(PrintStream err) {
        this.err = err;
    }

    /** Draws {@code text} over the line shown, if any. */
    void show(String text) {
        err.print(ERASE + text);
        err.flush();
        shown = true;
    }

    /** Erases the line, if one is shown, so that a normal line can be printed. */
    void clear() {
        if (shown) {
            err.print(ERASE);
            err.flush();
            shown = false;
        }
    }
}
