package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.Units;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The live line a sync shows on a terminal: files done of total, bytes, rate, ETA and the file
 * being transferred, redrawn in place with {@code \r} on stderr and cleared before any other
 * line is printed. Used only when stderr is a terminal. Safe to call from several worker threads.
 */
final class ProgressLine {
    /** Redraws at most this often while files are in flight, so a fast run does not flood the terminal. */
    private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();
    /** Longest line drawn; the file name is cut from the left to fit. */
    private static final int WIDTH = 100;

    private final LiveLine line;
    private long startNanos;
    private long lastDrawNanos;
    private int filesTotal;
    private long bytesTotal;
    private int filesDone;
    private long bytesDone;
    private String current = "";

    ProgressLine(PrintStream err) {
        this.line = new LiveLine(err);
    }

    /** The run knows what it will transfer: draws the first frame. */
    synchronized void planned(SyncPlan plan) {
        startNanos = System.nanoTime();
        filesTotal = plan.transfers().size();
        bytesTotal = plan.bytesToTransfer();
        if (filesTotal > 0) {
            draw();
        }
    }

    /** A file starts; it becomes the current one. */
    synchronized void fileStarted(String path) {
        current = path;
        redrawSometimes();
    }

    /** More bytes arrived. */
    synchronized void bytes(long n) {
        bytesDone += n;
        redrawSometimes();
    }

    /** A file is done, or failed; the last one always redraws so the final count shows. */
    synchronized void fileDone() {
        filesDone++;
        if (filesDone == filesTotal) {
            draw();
        } else {
            redrawSometimes();
        }
    }

    /** Erases the line, if one is shown, so that a normal line can be printed; the next frame redraws it. */
    synchronized void clear() {
        line.clear();
    }

    private void redrawSometimes() {
        if (System.nanoTime() - lastDrawNanos >= REDRAW_NANOS) {
            draw();
        }
    }

    private void draw() {
        lastDrawNanos = System.nanoTime();
        double seconds = Math.max(1e-3, (lastDrawNanos - startNanos) / 1e9);
        long rate = (long) (bytesDone / seconds);
        String eta = rate == 0 ? "?" : Units.duration(Duration.ofSeconds(Math.max(0, bytesTotal - bytesDone) / rate));
        String text = Units.count(filesDone) + "/" + Units.count(filesTotal) + " files  " + Units.bytes(bytesDone) + "/"
                + Units.bytes(bytesTotal) + "  " + Units.bytes(rate) + "/s  ETA " + eta + "  ";
        int room = WIDTH - text.length();
        String file = current.length() <= room ? current : "…" + current.substring(current.length() - Math.max(0, room - 1));
        line.show(text + file);
    }
}
