package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.config.ConfigReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;

/** {@code validate}: checks a config file and prints every problem, or a summary per profile. */
@Parameters(commandDescription = "Check a config file and show each profile, or every problem found")
final class ValidateCommand implements Command {
    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @Parameter(names = "--check-remote", description = "Also connect to each enabled profile: host key, authentication,"
            + " and that remote_root is a readable directory")
    private boolean checkRemote;

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake validate\n"
                + "  quants-infra data-lake validate --config config/data_lake.example.yml\n"
                + "  quants-infra data-lake validate --check-remote";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        String file = t.configPath(common).toString();
        ConfigReport report = t.loadConfig(common);
        t.warn(report.warnings());
        if (!report.isValid()) {
            t.printProblems(file, report);
            return ExitCode.USAGE;
        }
        DataLakeConfig config = report.orThrow();
        int n = config.profiles().size();
        t.out().println("✓ " + file + " is valid: " + n + (n == 1 ? " profile" : " profiles")
                + ", lake at " + config.rootDir());
        int width = config.profiles().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Profile p : config.profiles().values()) {
            t.out().printf("  %-" + width + "s  %-8s  %s → %s%n", p.name(), p.enabled() ? "enabled" : "disabled",
                    p.source().describe(), p.localDir());
        }
        return checkRemote ? checkRemotes(t, config) : ExitCode.OK;
    }

    private static int checkRemotes(Terminal t, DataLakeConfig config) {
        DataLake lake = new DataLake(config);
        int worst = ExitCode.OK;
        for (Profile p : config.enabledProfiles()) {
            try {
                lake.checkRemote(p.name(), t.env());
                t.out().println("✓ " + p.name() + ": connected to " + p.source().describe() + ", remote_root is readable");
            } catch (LakeException e) {
                t.out().println("✗ " + p.name() + ": " + e.getMessage());
                e.hint().ifPresent(h -> t.out().println("  hint: " + h));
                worst = Math.max(worst, ExitCode.of(e.kind()));
            }
        }
        return worst;
    }
}
