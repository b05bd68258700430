package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in a JVM of its own, where no test server has loaded BouncyCastle: an ECDSA key needs
 * it, and the connector must add it on demand.
 */
class FreshJvmTest {
    @TempDir
    Path tmp;

    @Test
    void ecdsaKey_inAFreshJvm_addsBouncyCastleOnDemand() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Files.writeString(remote.resolve("f.parquet"), "data");
        try (SftpTestServer server = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start()) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            server.authorizeKey(kp.getPublic());
            ByteArrayOutputStream key = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "test", null, key);
            Path keyFile = tmp.resolve("id_ecdsa");
            Files.write(keyFile, key.toByteArray());
            // as ssh, sync ignores a key others may read
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            LakeConfigFile config = new LakeConfigFile(tmp.resolve("lake"));
            config.profile("p", server).sshKey = keyFile;
            Path yml = config.writeTo(tmp.resolve("lake.yml"));

            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "data-lake", "sync", "p", "--config", yml.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile()).start();
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(tmp.resolve("cli.log"));
            assertEquals(0, cli.exitValue(), log);
            assertTrue(log.contains("Files transferred: 1"), log);
            assertEquals("data", Files.readString(tmp.resolve("lake/p/f.parquet")));
        }
    }

    @Test
    void doubleVerbose_showsTheLibrariesDebugLogging_singleDoesNot() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Files.writeString(remote.resolve("f.parquet"), "data");
        try (SftpTestServer server = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start()) {
            LakeConfigFile config = new LakeConfigFile(tmp.resolve("lake"));
            config.profile("p", server);
            Path yml = config.writeTo(tmp.resolve("lake.yml"));
            for (String flag : List.of("-v", "-vv")) {
                Path log = tmp.resolve("cli" + flag + ".log");
                Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "data-lake", "sync", "p", flag, "--config", yml.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
                String said = Files.readString(log);
                assertEquals(0, cli.exitValue(), said);
                assertEquals(flag.equals("-vv"), said.contains("DEBUG net.schmizz"), flag + ":\n" + said);
            }
        }
    }

    @Test
    void underTheCLocale_aNameTheJvmCannotStore_failsAlone_neverAsAnInternalError() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Files.writeString(remote.resolve("a.parquet"), "data");
        Files.writeString(remote.resolve("\u65e5\u672c.parquet"), "nihon");
        // with -a a link is recreated: this one's target such a JVM cannot name either
        Files.createSymbolicLink(remote.resolve("latest.parquet"), Path.of("\u65e5\u672c.parquet"));
        try (SftpTestServer server = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start()) {
            LakeConfigFile config = new LakeConfigFile(tmp.resolve("lake"));
            config.profile("p", server).rsyncArgs = "-a --delete";
            Path yml = config.writeTo(tmp.resolve("lake.yml"));
            Files.createDirectories(tmp.resolve("lake/p"));
            Files.writeString(tmp.resolve("lake/p/local-only.parquet"), "kept");

            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "data-lake", "sync", "p", "--config", yml.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile());
            pb.environment().clear(); // no LANG: the JVM names files in ASCII
            Process cli = pb.start();
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(tmp.resolve("cli.log"));
            assertEquals(ExitCode.PARTIAL, cli.exitValue(), log);
            assertTrue(log.contains("this JVM cannot name a local file so: it names files in ANSI_X3.4-1968; run it under"
                    + " a UTF-8 locale, e.g. LC_ALL=C.UTF-8"), log);
            assertEquals("data", Files.readString(tmp.resolve("lake/p/a.parquet")));
            assertEquals("kept", Files.readString(tmp.resolve("lake/p/local-only.parquet")), "nothing is deleted after a refused name");
        }
    }
}
