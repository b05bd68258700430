package io.quantsinfra.lake.config;

import io.quantsinfra.lake.LakeException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of loading a configuration: the resolved config when there are no errors, every
 * error found, and warnings that do not stop it from being used.
 *
 * @param config   the resolved configuration; present exactly when {@code errors} is empty
 * @param errors   every problem that makes the configuration unusable
 * @param warnings problems worth fixing that do not make it unusable
 */
public record ConfigReport(Optional<DataLakeConfig> config, List<ConfigProblem> errors, List<ConfigProblem> warnings) {

    /** Copies the lists so the record stays immutable. */
    public ConfigReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** Whether the configuration can be used. */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /**
     * The configuration, or a {@link LakeException} of kind {@code CONFIG} that lists every error.
     */
    public DataLakeConfig orThrow() {
        return orThrow("fix the problems above; `quants-infra data-lake validate` checks a config file");
    }

    /** Like {@link #orThrow()}, with {@code hint} as the fix. */
    DataLakeConfig orThrow(String hint) {
        return config.orElseThrow(() -> new LakeException(LakeException.Kind.CONFIG,
                errors.isEmpty() ? "" : errors.get(0).file(),
                "invalid configuration:\n" + errors.stream().map(p -> "  " + p.format()).collect(Collectors.joining("\n")),
                hint));
    }
}
