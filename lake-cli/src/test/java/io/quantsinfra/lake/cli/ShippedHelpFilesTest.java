package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The completions and the man page in lake-cli/src/dist say what {@code --help} says, and each
 * works: bash completes options, groff reads the page without a warning. Run with
 * {@code -Dregenerate=true} to rewrite them after changing an option.
 */
class ShippedHelpFilesTest {
    private static final Path DIST = Path.of("src/dist");
    private static final Path BASH = DIST.resolve("completion/quants-infra.bash");
    private static final Path ZSH = DIST.resolve("completion/_quants-infra");
    private static final Path MAN = DIST.resolve("man/quants-infra.1");

    private static ShippedHelpFiles rendered() {
        Map<String, CommandHelp> helps = new LinkedHashMap<>();
        Cli.commands().forEach((name, command) -> helps.put(name, Cli.help(command)));
        return new ShippedHelpFiles(helps);
    }

    @Test
    void theShippedFiles_areWhatTheHelpSays() throws IOException {
        ShippedHelpFiles files = rendered();
        Map<Path, String> expected = Map.of(BASH, files.bash(), ZSH, files.zsh(), MAN, files.man());
        if (Boolean.getBoolean("regenerate")) {
            for (Map.Entry<Path, String> e : expected.entrySet()) {
                Files.writeString(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), Files.readString(e.getKey()),
                    e.getKey() + " is stale: run mvn -pl lake-cli -am verify -Dtest=ShippedHelpFilesTest -Dregenerate=true"
                            + " -Dsurefire.failIfNoSpecifiedTests=false");
        }
    }

    @Test
    void bashCompletes_commands_options_andFormats() throws Exception {
        assertEquals("sync stats", complete("quants-infra data-lake s"));
        assertEquals("--jobs", complete("quants-infra data-lake sync --jo"));
        assertEquals("--dry-run", complete("quants-infra data-lake cleanup --dr"));
        assertEquals("json", complete("quants-infra data-lake stats --format j"));
        assertEquals("", complete("quants-infra data-lake demo --jo"), "demo has no --jobs");
    }

    @Test
    void zshReadsItsCompletion() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh")),
                "no zsh here; the equality test still holds the file to the help");
        Process zsh = new ProcessBuilder("zsh", "-n", ZSH.toString()).redirectErrorStream(true).start();
        String said = new String(zsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(zsh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, zsh.exitValue(), said);
    }

    @Test
    void groffReadsTheManPage_withoutAWarning() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")),
                "no groff here; the equality test still holds the page to the help");
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", MAN.toString())
                .redirectErrorStream(true).start();
        String said = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, groff.exitValue(), said);
        assertEquals("", said);
    }

    /** What bash completes the last word of {@code line} to, with the shipped completion loaded. */
    private static String complete(String line) throws Exception {
        String script = "source " + BASH + "\nCOMP_WORDS=(" + line + ")\n"
                + (line.endsWith(" ") ? "COMP_WORDS+=('')\n" : "")
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_quants_infra\necho \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder(List.of("bash", "-c", script)).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), out);
        return out;
    }
}
