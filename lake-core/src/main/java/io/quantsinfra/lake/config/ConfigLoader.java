package io.quantsinfra.lake.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a YAML configuration file and reports every problem in it at once, each at
 * {@code file:line:column} with its YAML path. Loading never throws for bad input: the result is
 * a {@link ConfigReport}.
 *
 * <p>Parsing is safe: only plain mappings, lists and scalars are built (no arbitrary types), the
 * document size and the number of aliases are capped.
 */
public final class ConfigLoader {
    private final Path home;
    private final Path workingDir;
    private final Map<String, String> env;

    /**
     * A loader without environment variables: a {@code ${VAR}} without a default is an error, and
     * an object store's region must be set in the file.
     *
     * @param home       what {@code ~} expands to
     * @param workingDir what relative paths in the file are resolved against
     */
    public ConfigLoader(Path home, Path workingDir) {
        this(home, workingDir, Map.of());
    }

    /**
     * @param home       what {@code ~} expands to
     * @param workingDir what relative paths in the file are resolved against
     * @param env        the variables that {@code ${VAR}} and {@code ${VAR:-default}} in values read, and
     *                   that an object store's region is taken from when the file sets none
     */
    public ConfigLoader(Path home, Path workingDir, Map<String, String> env) {
        this.home = home.toAbsolutePath();
        this.workingDir = workingDir.toAbsolutePath();
        this.env = Map.copyOf(env);
    }

    /**
     * A loader for this process: {@code ~} is {@code user.home}, relative paths start at the
     * current directory, and {@code ${VAR}} reads its environment.
     */
    public static ConfigLoader forCurrentUser() {
        return new ConfigLoader(Path.of(System.getProperty("user.home")), Path.of(""), System.getenv());
    }

    /** Loads {@code file}; problems are reported with the file named as given. */
    public ConfigReport load(Path file) {
        return load(file, file.toString());
    }

    /** Loads {@code file}; problems are reported as being in {@code name}, e.g. the path as the user typed it. */
    public ConfigReport load(Path file, String name) {
        byte[] bytes;
        try {
            if (Files.size(file) > YamlConfigReader.MAX_CODE_POINTS) {
                return failed(name, "the file is larger than " + YamlConfigReader.MAX_CODE_POINTS / 1024
                        + " KiB; a data-lake config is a few KiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return failed(name, "config file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            return failed(name, "cannot read the config file: " + e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return failed(name, "the file is not UTF-8 text");
        }
        return parse(text, name);
    }

    /** Checks YAML {@code text}; {@code fileName} is used in the problems it reports. */
    public ConfigReport parse(String text, String fileName) {
        YamlConfigReader reader = new YamlConfigReader(fileName, env);
        Optional<ObjectNode> tree = reader.read(text);
        List<ConfigProblem> errors = new ArrayList<>(reader.errors());
        if (tree.isEmpty()) {
            return new ConfigReport(Optional.empty(), errors, List.of());
        }
        ConfigSpec.Lake spec = ConfigSpec.lake(tree.get());
        ConfigResolver.Resolution resolution = new ConfigResolver(home, workingDir, env, Phrasing.YAML)
                .resolve(spec);
        resolution.errors().stream()
                .filter(f -> !reader.reported(f.path()))
                .map(reader::place)
                .forEach(errors::add);
        if (!errors.isEmpty()) {
            return new ConfigReport(Optional.empty(), errors, List.of());
        }
        DataLakeConfig config = resolution.config().orElseThrow();
        List<ConfigProblem> warnings = ConfigWarnings.check(config).stream().map(reader::place).toList();
        return new ConfigReport(Optional.of(config), errors, warnings);
    }

    private static ConfigReport failed(String file, String message) {
        return new ConfigReport(Optional.empty(), List.of(new ConfigProblem(file, 0, 0, "", message)), List.of());
    }
}
