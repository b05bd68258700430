package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd unit and timer pass {@code systemd-analyze verify}, and the service's
 * hardening rates OK in {@code systemd-analyze security}. Skipped where systemd-analyze is missing.
 */
class SystemdUnitTest {
    private static final Path CONFIG = Path.of("..", "config");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    /** The unit and timer, with ExecStart pointing at this checkout's launcher (verify checks that it exists). */
    private List<Path> units() throws IOException {
        Path service = dir.resolve("quants-infra-data-lake.service");
        Path launcher = Path.of("..", "bin", "quants-infra").toAbsolutePath().normalize();
        Files.writeString(service, Files.readString(CONFIG.resolve(service.getFileName()))
                .replace("/usr/local/bin/quants-infra", launcher.toString()));
        Path timer = Files.copy(CONFIG.resolve("quants-infra-data-lake.timer"), dir.resolve("quants-infra-data-lake.timer"));
        return List.of(service, timer);
    }

    @Test
    void theUnitAndTimer_verify() throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "no systemd-analyze here");
        List<String> command = new ArrayList<>(List.of(ANALYZE.toString(), "verify", "--man=no"));
        units().forEach(p -> command.add(p.toString()));
        Result r = run(command);
        assertEquals(0, r.code(), r.output());
        assertEquals("", r.output());
    }

    @Test
    void theServiceIsHardened() throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "no systemd-analyze here");
        Result r = run(List.of(ANALYZE.toString(), "security", "--offline=true", units().get(0).toString()));
        Matcher m = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) (\\S+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 2.0, "exposure " + exposure + " " + m.group(2) + "\n" + r.output());
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
