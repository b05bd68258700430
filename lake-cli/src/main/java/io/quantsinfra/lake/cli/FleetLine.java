package io.quantsinfra.lake.cli;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The live line shown on a terminal while several profiles sync at once: how many are done, and
 * which run now. Drawn on stderr with {@code \r} and cleared before a report is printed. Safe to
 * call from several threads.
 */
final class FleetLine {
    private static final String ERASE = "\r\033[K";
    private static final int WIDTH = 100;

    private final PrintStream err;
    private final int total;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;
    private boolean shown;

    FleetLine(PrintStream err, int total) {
        this.err = err;
        this.total = total;
    }

    /** A profile started. */
    synchronized void started(String profile) {
        running.add(profile);
        draw();
    }

    /** A profile ended: its report is printed next, so the line is cleared; {@link #redraw} brings it back. */
    synchronized void ended(String profile) {
        running.remove(profile);
        done++;
        clear();
    }

    /** Draws the line again after a report, while profiles still run. */
    synchronized void redraw() {
        if (!running.isEmpty()) {
            draw();
        }
    }

    /** Erases the line, if it is shown. */
    synchronized void clear() {
        if (shown) {
            err.print(ERASE);
            err.flush();
            shown = false;
        }
    }

    private void draw() {
        String line = done + "/" + total + " profiles done, running: " + String.join(", ", running);
        err.print(ERASE + (line.length() <= WIDTH ? line : line.substring(0, WIDTH - 1) + "…"));
        err.flush();
        shown = true;
    }
}
