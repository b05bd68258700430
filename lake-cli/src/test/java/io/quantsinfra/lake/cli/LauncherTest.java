package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/quants-infra as the tarball installs it: unpacked under /opt with no pom.xml, started through
 * a symlink in /usr/local/bin. The jar is a stand-in whose main class echoes its arguments.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    /** The stand-in's entry point: prints what it was given. */
    public static void main(String[] args) {
        System.out.println("launched with " + String.join(" ", args));
    }

    /** A second stand-in's entry point: prints the encoding the JVM names files in. */
    public static final class FileNameEncoding {
        public static void main(String[] args) {
            System.out.println(System.getProperty("sun.jnu.encoding"));
        }
    }

    /** A third stand-in's entry point: prints the JVM's version and the options it was started with. */
    public static final class JvmOptions {
        public static void main(String[] args) {
            System.out.println(Runtime.version().feature() + " "
                    + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }
    }

    /**
     * Installs bin/quants-infra as the tarball does, with a stand-in jar running {@code main}, and
     * returns the symlink in /usr/local/bin that starts it.
     */
    private Path install(Class<?> main) throws Exception {
        return install(main, tmp.resolve("opt/quants-infra-1.0"), tmp.resolve("usr/local/bin/quants-infra"));
    }

    private Path install(Class<?> main, Path home, Path link) throws Exception {
        Path launcher = home.resolve("bin/quants-infra");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("../bin/quants-infra"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the JIT directives are applied, and HotSpot's announcement of them stays off stdout
        Files.copy(Path.of("../bin/jit-directives.json"), home.resolve("bin/jit-directives.json"));
        Files.copy(Path.of("../bin/jvm.options"), home.resolve("bin/jvm.options"));
        Path jar = home.resolve("lake-cli/target/quants-infra.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        Path classes = Path.of(LauncherTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, launcher);
        return link;
    }

    /** Runs {@code command} with nothing in its environment but PATH, as cron may; its exit code. */
    private int runBare(String... command) throws Exception {
        return runBare(Path.of(System.getProperty("java.home")), command);
    }

    /** Like {@link #runBare(String...)}, with the {@code java} of the JDK at {@code javaHome}. */
    private int runBare(Path javaHome, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out.log").toFile()).redirectError(tmp.resolve("err.log").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", javaHome.resolve("bin") + ":/usr/bin:/bin");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void anInstalledCopy_runsItsJarThroughASymlink_andNeverBuilds() throws Exception {
        Path link = install(LauncherTest.class);
        Path jar = tmp.resolve("opt/quants-infra-1.0/lake-cli/target/quants-infra.jar");
        // the first run also records the class-data-sharing archive; the second maps it
        for (int run = 1; run <= 2; run++) {
            int code = runBare(link.toString(), "--version");
            String err = Files.readString(tmp.resolve("err.log"));
            assertEquals(0, code, err);
            assertEquals("launched with --version\n", Files.readString(tmp.resolve("out.log")), err);
            assertEquals("", err, "no build is attempted without a pom.xml");
            int r = run;
            Path archive;
            try (Stream<Path> beside = Files.list(jar.getParent())) {
                archive = beside.filter(f -> f.getFileName().toString().matches("quants-infra\\.jar\\.\\d+\\.(jsa|aot)"))
                        .findFirst().orElseThrow(() -> new AssertionError("run " + r + ": no class-data-sharing archive"));
            }
            assertTrue(Files.size(archive) > 0, "run " + run + ": the class-data-sharing archive exists");
            assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0);
        }
    }

    @Test
    void underTheCLocale_theJvmStillNamesFilesInUtf8() throws Exception {
        Path link = install(FileNameEncoding.class);
        assertEquals(0, runBare(link.toString(), "data-lake", "sync", "--all"), Files.readString(tmp.resolve("err.log")));
        assertEquals("UTF-8\n", Files.readString(tmp.resolve("out.log")),
                "with no LANG a JVM names files in ASCII and could not store the collectors' other names");
    }

    /** The JDKs installed on this machine, one per real directory. */
    private static List<Path> installedJdks() throws IOException {
        Set<Path> homes = new TreeSet<>();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> all = Files.list(jvms)) {
                for (Path p : all.toList()) {
                    if (Files.isExecutable(p.resolve("bin/java"))) {
                        homes.add(p.toRealPath());
                    }
                }
            }
        }
        homes.add(Path.of(System.getProperty("java.home")).toRealPath());
        return List.copyOf(homes);
    }

    @Test
    void everyInstalledJdk_startsWithTheLaunchersOptions() throws Exception {
        List<Path> jdks = installedJdks();
        Set<String> versions = new TreeSet<>();
        for (int i = 0; i < jdks.size(); i++) {
            Path link = install(JvmOptions.class, tmp.resolve("jdk" + i + "/opt"), tmp.resolve("jdk" + i + "/bin/quants-infra"));
            int code = runBare(jdks.get(i), link.toString(), "--version");
            String out = Files.readString(tmp.resolve("out.log"));
            assertEquals(0, code, jdks.get(i) + " refused the launcher's options: " + Files.readString(tmp.resolve("err.log")));
            assertTrue(out.contains("-XX:+UseSerialGC") && out.contains("-XX:CompilerDirectivesFile="), jdks.get(i) + ": " + out);
            assertEquals("", Files.readString(tmp.resolve("err.log")), jdks.get(i) + " warned about an option");
            String version = out.substring(0, out.indexOf(' '));
            versions.add(version);
            // JDK 25 on maps an AOT cache, older JDKs a dynamic CDS archive, each recorded on this first run
            String archive = Integer.parseInt(version.split("\\.")[0]) >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
            assertTrue(out.contains(archive), jdks.get(i) + " runs without its " + archive + " " + out);
        }
        assertTrue(versions.contains("17"), "JDK 17, the oldest supported, must be among " + jdks);
    }

    @Test
    void theDistributionDescriptor_putsTheJarWhereTheLauncherLooks() throws IOException {
        String launcher = Files.readString(Path.of("../bin/quants-infra"));
        String dist = Files.readString(Path.of("src/assembly/dist.xml"));
        assertTrue(launcher.contains("jar=\"$home/lake-cli/target/quants-infra.jar\""), launcher);
        assertTrue(dist.contains("<source>${project.build.directory}/quants-infra.jar</source>\n"
                + "      <outputDirectory>lake-cli/target</outputDirectory>"), dist);
        assertTrue(dist.contains("<source>${project.basedir}/../bin/jit-directives.json</source>\n"
                + "      <outputDirectory>bin</outputDirectory>"), dist);
        assertTrue(dist.contains("<source>${project.basedir}/../bin/jvm.options</source>\n"
                + "      <outputDirectory>bin</outputDirectory>"), dist);
    }
}
