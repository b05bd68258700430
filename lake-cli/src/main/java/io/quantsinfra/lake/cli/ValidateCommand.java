package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.quantsinfra.lake.config.ConfigProblem;
import io.quantsinfra.lake.config.ConfigReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;

/** {@code validate}: checks a config file and prints every problem, or a summary per profile. */
@Parameters(commandDescription = "Check a config file and show each profile, or every problem found")
final class ValidateCommand implements Command {
    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake validate\n"
                + "  quants-infra data-lake validate --config config/data_lake.example.yml";
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
            int n = report.errors().size();
            if (n == 1 && report.errors().get(0).line() == 0) {
                t.out().println("✗ " + report.errors().get(0).format());
                return ExitCode.USAGE;
            }
            t.out().println("✗ " + file + ": " + n + (n == 1 ? " problem" : " problems"));
            for (ConfigProblem p : report.errors()) {
                t.out().println("  " + p.format());
            }
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
        return ExitCode.OK;
    }
}
