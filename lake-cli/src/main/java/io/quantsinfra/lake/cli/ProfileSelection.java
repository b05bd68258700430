package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.util.ArrayList;
import java.util.List;

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
