package io.quantsinfra.lake.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sshconfig.ConnectionSettings;
import io.quantsinfra.lake.sshconfig.SshEndpoint;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code validate} shows of a profile's connection: each value merged with the host's
 * ssh_config, and where it came from (the profile, an ssh_config {@code file:line}, a default).
 * A bad ssh_config line makes the profile's config invalid.
 *
 * @param profile  the profile
 * @param settings its settled connection, when its ssh_config could be read
 * @param failure  why it could not, otherwise
 */
record ConnectionOrigins(Profile profile, Optional<ConnectionSettings> settings, Optional<LakeException> failure) {

    /** Settles {@code profile}'s connection as a sync would, with the run's environment ({@code HOME}). */
    static ConnectionOrigins of(Profile profile, Map<String, String> env) {
        try {
            return new ConnectionOrigins(profile, Optional.of(ConnectionSettings.of(profile, env)), Optional.empty());
        } catch (LakeException e) {
            return new ConnectionOrigins(profile, Optional.empty(), Optional.of(e));
        }
    }

    /** {@code user@host:port:remote_root} as the connection reaches it, with its jump hosts. */
    String describe() {
        return settings.map(s -> s.target().where() + ":" + profile.source().remoteRoot() + via(s))
                .orElse(profile.source().describe());
    }

    /** {@code user@host:remote_root (port N)} as the connection reaches it, as sync's header shows it. */
    String remote() {
        SshSource s = settings.map(c -> c.target().asSource(profile.source())).orElse(profile.source());
        return s.user() + "@" + s.host() + ":" + s.remoteRoot() + (s.port() == 22 ? "" : " (port " + s.port() + ")")
                + settings.map(ConnectionOrigins::via).orElse("");
    }

    private static String via(ConnectionSettings s) {
        return s.jumps().isEmpty() ? ""
                : " via " + String.join(", ", s.jumps().stream().map(SshEndpoint::where).toList());
    }

    /** One line per value, indented under the profile's line; or the failure with its hint. */
    void print(PrintStream out) {
        if (failure.isPresent()) {
            out.println("    ✗ " + failure.get().getMessage());
            failure.get().hint().ifPresent(h -> out.println("      hint: " + h));
            return;
        }
        List<ConnectionSettings.Provenance> lines = settings.orElseThrow().provenance();
        int key = lines.stream().mapToInt(l -> l.setting().length()).max().orElse(0);
        int value = lines.stream().mapToInt(l -> l.value().length()).max().orElse(0);
        for (ConnectionSettings.Provenance l : lines) {
            out.printf("      %-" + key + "s  %-" + value + "s  %s%n", l.setting(), l.value(), l.origin());
        }
    }

    /** The ssh_config lines read but not honoured, each naming its {@code file:line}. */
    List<String> warnings() {
        return settings.map(ConnectionSettings::warnings).orElse(List.of());
    }

    /** {@code "connection": {"port": {"value": "22", "from": "ssh_config /home/u/.ssh/config:3"}, ...}}. */
    void json(ObjectNode o) {
        ObjectNode connection = o.putObject("connection");
        settings.ifPresent(s -> s.provenance().forEach(l -> connection.putObject(l.setting()).put("value", l.value())
                .put("from", l.origin().toString())));
        ArrayNode warnings = o.putArray("ssh_config_warnings");
        warnings().forEach(warnings::add);
    }
}
