package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code PROFILE... | --all}, shared by the commands that work per profile. */
final class ProfileSelection {
    @Parameter(description = "PROFILE...")
    private List<String> names = new ArrayList<>();

    @Parameter(names = "--all", description = "Every enabled profile, carrying on past failures")
    private boolean all;

    /**
     * JCommander hands an unknown option to the main parameter, where it would be taken for a
     * profile name; this reports it as what it is. Call it before loading the config.
     */
    void rejectUnknownOptions() {
        for (String arg : names) {
            if (arg.startsWith("-")) {
                throw new ParameterException("unknown option '" + arg + "'");
            }
        }
    }

    /** A valid config and the profiles chosen from it. */
    record Chosen(DataLakeConfig config, List<Profile> profiles) {
    }

    /**
     * Loads the config, printing its problems, and selects the profiles: the start of every
     * per-profile command. Empty when the config is invalid (exit {@link ExitCode#USAGE}); says
     * so on stderr when {@code --all} finds no enabled profile.
     */
    Optional<Chosen> load(Terminal t, CommonOptions common, boolean json) {
        rejectUnknownOptions();
        Optional<DataLakeConfig> config = t.validConfig(common, json);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        List<Profile> selected = select(config.get());
        if (selected.isEmpty()) {
            t.err().println("nothing to do: no profile is enabled in " + t.configPath(common));
        }
        return Optional.of(new Chosen(config.get(), selected));
    }

    /** The chosen profiles, in config order for {@code --all}; empty when {@code --all} finds none enabled. */
    List<Profile> select(DataLakeConfig config) {
        if (all == !names.isEmpty()) {
            throw new ParameterException(all ? "give either --all or profile names, not both"
                    : "name a profile, or --all; profiles: " + String.join(", ", config.profiles().keySet()));
        }
        if (all) {
            return config.enabledProfiles();
        }
        return names.stream().map(config::requireProfile).toList();
    }
}
