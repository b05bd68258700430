package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.config.ConfigReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.sftp.SftpConnector;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code validate}: checks a config file and prints every problem, or a summary per profile with
 * each connection value and where it came from (the profile, ssh_config, a default).
 */
@Parameters(commandDescription = "Check a config file and show each profile, or every problem found")
final class ValidateCommand implements Command {
    @ParametersDelegate
    private final CommonOptions common = new CommonOptions();

    @Parameter(names = "--check-remote", description = "Also connect to each enabled profile: host key, authentication,"
            + " and that remote_root is a readable directory")
    private boolean checkRemote;

    @ParametersDelegate
    private final OutputFormat format = new OutputFormat();

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public boolean mayConnect() {
        return true;
    }

    @Override
    public String examples() {
        return "  quants-infra data-lake validate\n"
                + "  quants-infra data-lake validate --config config/data_lake.example.yml\n"
                + "  quants-infra data-lake validate --check-remote\n"
                + "  quants-infra data-lake validate --check-remote --format json";
    }

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public int run(Terminal t) {
        boolean json = format.json();
        String file = t.configPath(common).toString();
        ConfigReport report = t.loadConfig(common);
        if (json) {
            return json(t, file, report);
        }
        if (!common.quiet) {
            t.warn(report.warnings());
        }
        if (!report.isValid()) {
            t.printProblems(common.quiet ? t.err() : t.out(), file, report);
            return ExitCode.USAGE;
        }
        DataLakeConfig config = report.orThrow();
        Map<String, ConnectionOrigins> connections = new LinkedHashMap<>();
        config.profiles().values().forEach(p -> connections.put(p.name(), ConnectionOrigins.of(p, t.env())));
        int worst = ExitCode.OK;
        if (!common.quiet) {
            connections.values().forEach(c -> c.warnings().forEach(w -> t.err().println("warning: " + w)));
            int n = config.profiles().size();
            t.out().println("✓ " + file + " is valid: " + n + (n == 1 ? " profile" : " profiles")
                    + ", lake at " + config.location());
            int width = config.profiles().keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Profile p : config.profiles().values()) {
                ConnectionOrigins c = connections.get(p.name());
                t.out().printf("  %-" + width + "s  %-8s  %s → %s%n", p.name(), p.enabled() ? "enabled" : "disabled",
                        c.describe(), p.location());
                c.print(t.out());
                if (c.failure().isEmpty()) {
                    t.out().println("      keys: " + String.join(", ", SftpConnector.identities(p, t.env())));
                }
            }
        }
        for (ConnectionOrigins c : connections.values()) {
            if (c.failure().isPresent()) {
                if (common.quiet) {
                    t.err().println("✗ " + c.profile().name() + ": " + c.failure().get().getMessage());
                }
                worst = Math.max(worst, ExitCode.of(c.failure().get().kind()));
            }
        }
        if (!checkRemote) {
            return worst;
        }
        DataLake lake = new DataLake(config);
        for (Profile p : config.enabledProfiles()) {
            if (connections.get(p.name()).failure().isPresent()) {
                continue; // shown above; connecting would fail the same way
            }
            Optional<LakeException> failure = checkRemote(t, lake, p);
            PrintStream to = common.quiet ? t.err() : t.out();
            if (failure.isEmpty()) {
                if (!common.quiet) {
                    t.out().println("✓ " + p.name() + ": connected to " + connections.get(p.name()).describe()
                            + ", remote_root is readable");
                }
            } else {
                to.println("✗ " + p.name() + ": " + failure.get().getMessage());
                failure.get().hint().ifPresent(h -> to.println("  hint: " + h));
                worst = Math.max(worst, ExitCode.of(failure.get().kind()));
            }
        }
        return worst;
    }

    /** The same checks as one JSON document; the schema is documented in docs/json.md. */
    private int json(Terminal t, String file, ConfigReport report) {
        ObjectNode doc = JsonReport.document();
        doc.put("config_file", file);
        doc.put("valid", report.isValid());
        doc.put("root_dir", report.config().map(DataLakeConfig::location).orElse(null));
        JsonReport.problems(doc.putArray("errors"), report.errors());
        JsonReport.problems(doc.putArray("warnings"), report.warnings());
        int worst = report.isValid() ? ExitCode.OK : ExitCode.USAGE;
        if (report.isValid()) {
            DataLakeConfig config = report.orThrow();
            DataLake lake = new DataLake(config);
            for (Profile p : config.profiles().values()) {
                ConnectionOrigins connection = ConnectionOrigins.of(p, t.env());
                ObjectNode o = JsonReport.profiles(doc).addObject();
                o.put("profile", p.name());
                o.put("enabled", p.enabled());
                o.put("source", connection.describe());
                o.put("local_path", p.location());
                connection.json(o);
                ArrayNode identities = o.putArray("identities");
                SftpConnector.identities(p, t.env()).forEach(identities::add);
                boolean checked = checkRemote && p.enabled() && connection.failure().isEmpty();
                o.put("remote_checked", checked);
                Optional<LakeException> failure = connection.failure().or(() -> checked ? checkRemote(t, lake, p)
                        : Optional.empty());
                if (failure.isEmpty()) {
                    o.put("status", "ok");
                    o.put("exit_code", ExitCode.OK);
                    o.putNull("error");
                    o.putNull("hint");
                } else {
                    int code = ExitCode.of(failure.get().kind());
                    JsonReport.failure(o, p.name(), failure.get(), code);
                    worst = Math.max(worst, code);
                }
            }
        }
        t.out().println(JsonReport.text(doc.put("exit_code", worst)));
        return worst;
    }

    /**
     * Connects to the profile's source; the failure, if it could not. Its warnings (a key file others
     * may read) go to stderr, unless {@code --quiet}.
     */
    private Optional<LakeException> checkRemote(Terminal t, DataLake lake, Profile p) {
        SyncListener warnings = new SyncListener() {
            @Override
            public void warning(String message) {
                if (!common.quiet) {
                    t.err().println("warning: " + p.name() + ": " + message);
                }
            }
        };
        try {
            lake.checkRemote(p.name(), t.env(), warnings);
            return Optional.empty();
        } catch (LakeException e) {
            return Optional.of(e);
        }
    }
}
