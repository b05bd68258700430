package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.JCommander;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.remote.RemoteConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile whose run runs out of memory fails alone, with a message that names it and no stack trace. */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemory_failsThatProfileWithExit5_namesIt_withoutAStackTrace_andTheOthersGoOn() throws IOException {
        Files.writeString(dir.resolve("lake.yml"), "data_lake:\n  root_dir: " + dir.resolve("lake") + "\n  profiles:\n"
                + profile("big") + profile("small"));
        RemoteConnector exhausted = (profile, env) -> {
            if (profile.name().equals("big")) {
                throw new OutOfMemoryError("Java heap space");
            }
            throw new io.quantsinfra.lake.LakeException(io.quantsinfra.lake.LakeException.Kind.CONNECTION, "small",
                    "cannot connect to small", "check the host", null);
        };
        SyncCommand sync = new SyncCommand((config, env) -> new DataLake(config, exhausted));
        JCommander.newBuilder().addObject(sync).build().parse("--all", "--config", dir.resolve("lake.yml").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = sync.run(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir, () -> ZoneOffset.UTC));

        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.LOCAL_STORAGE, code, said);
        assertTrue(said.contains("✗ Sync failed: the JVM ran out of memory while syncing big (Java heap space)"), said);
        assertTrue(said.contains("  hint: give it more with QUANTS_INFRA_JAVA_OPTS=-Xmx1g"), said);
        assertTrue(said.contains("✗ Sync failed: cannot connect to small"), "the other profile went on: " + said);
        assertFalse(said.contains("\tat "), "no stack trace without -v: " + said);
    }

    private static String profile(String name) {
        return "    " + name + ":\n      source: {type: ssh, host: 127.0.0.1, user: u, remote_root: /r}\n      local_subdir: " + name + "\n";
    }
}
