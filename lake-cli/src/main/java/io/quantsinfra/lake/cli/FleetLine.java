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
    private static final int WIDTH = 100;

    private final LiveLine line;
    private final int total;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;

    FleetLine(PrintStream err, int total) {
        this.line = new LiveLine(err);
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
        line.clear();
    }

    private void draw() {
        String text = done + "/" + total + " profiles done, running: " + String.join(", ", running);
        line.show(text.length() <= WIDTH ? text : text.substring(0, WIDTH - 1) + "…");
    }
}
