package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sshconfig.SshEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The identities a login offers, in order, as ssh chooses them: key files and the ssh-agent.
 * Where they come from (the profile, ssh_config's IdentityFile and IdentitiesOnly, the defaults)
 * decides the list; {@link IdentityLogin} offers them.
 *
 * @param candidates     what to try, in order
 * @param identitiesOnly OpenSSH's {@code IdentitiesOnly}: the agent's keys are offered only when
 *                       they are one of the listed key files (e.g. an encrypted key the agent holds)
 */
record IdentitySources(List<Candidate> candidates, boolean identitiesOnly) {
    /** The key files ssh tries when none is named, in the order this tool tries them. */
    static final List<String> DEFAULT_KEY_FILES = List.of(".ssh/id_ed25519", ".ssh/id_ecdsa", ".ssh/id_rsa");
    /** The variable that names the agent's socket. */
    static final String AGENT_SOCKET_ENV = "SSH_AUTH_SOCK";

    IdentitySources {
        candidates = List.copyOf(candidates);
    }

    /** Something that may hold a key. */
    sealed interface Candidate permits KeyFile, Agent {
        /** How {@code validate} and messages name it. */
        String describe();
    }

    /**
     * A private key file.
     *
     * @param path  the file
     * @param named whether the user named it ({@code ssh_key}, {@code IdentityFile}): then its
     *              absence or any problem with it is reported; a default one is skipped quietly
     *              when missing
     */
    record KeyFile(Path path, boolean named) implements Candidate {
        @Override
        public String describe() {
            return path + (Files.exists(path) ? "" : " (missing)");
        }
    }

    /**
     * The ssh-agent {@code SSH_AUTH_SOCK} names.
     *
     * @param socket its socket, or empty when the variable is unset or empty
     */
    record Agent(Optional<Path> socket) implements Candidate {
        @Override
        public String describe() {
            return socket.map(s -> "ssh-agent at " + s + " ($" + AGENT_SOCKET_ENV + ")")
                    .orElse("ssh-agent (not used: $" + AGENT_SOCKET_ENV + " is not set)");
        }
    }

    /**
     * The identities for one server, as its settled values name them. When the profile's
     * {@code ssh_key} is set, that key; else when ssh_config gives IdentityFile lines, those files;
     * either way followed by the agent's keys (as {@code ssh -i KEY} also tries them), only those of
     * the named files with IdentitiesOnly. When nothing names a key: the seed's default key if it
     * exists, then the agent's keys, then {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} and {@code id_rsa}.
     *
     * @param endpoint the server: the profile's source merged with ssh_config, or a jump host
     * @param env      the environment: {@code HOME} for the default key files (the JVM's
     *                 {@code user.home} when unset) and {@code SSH_AUTH_SOCK}
     */
    static IdentitySources forEndpoint(SshEndpoint endpoint, Map<String, String> env) {
        if (endpoint.setKeys().contains(SshSource.Key.SSH_KEY)) {
            List<Path> files = endpoint.identityFiles();
            boolean fromSshConfig = !files.isEmpty() && files.get(0).equals(endpoint.sshKey());
            return named(fromSshConfig ? files : List.of(endpoint.sshKey()), endpoint.identitiesOnly(), env);
        }
        List<Candidate> order = new ArrayList<>();
        order.add(new KeyFile(endpoint.sshKey(), false));
        order.add(agent(env));
        Path home = Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                .orElse(System.getProperty("user.home")));
        for (String name : DEFAULT_KEY_FILES) {
            Path key = home.resolve(name);
            if (!key.equals(endpoint.sshKey())) {
                order.add(new KeyFile(key, false));
            }
        }
        return new IdentitySources(order, endpoint.identitiesOnly());
    }

    /**
     * Key files a user named (e.g. {@code IdentityFile} lines), in order, then the agent's keys;
     * with {@code identitiesOnly} only those of the agent's keys that are one of the files.
     */
    static IdentitySources named(List<Path> keyFiles, boolean identitiesOnly, Map<String, String> env) {
        List<Candidate> order = new ArrayList<>();
        keyFiles.forEach(k -> order.add(new KeyFile(k, true)));
        order.add(agent(env));
        return new IdentitySources(order, identitiesOnly);
    }

    /** The agent that {@code SSH_AUTH_SOCK} in {@code env} names. */
    static Agent agent(Map<String, String> env) {
        return new Agent(Optional.ofNullable(env.get(AGENT_SOCKET_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    }

    /** Each candidate as {@code validate} shows it, in order. */
    List<String> describe() {
        return candidates.stream().map(Candidate::describe).toList();
    }

    /** The key files, in order. */
    List<KeyFile> keyFiles() {
        return candidates.stream().filter(KeyFile.class::isInstance).map(KeyFile.class::cast).toList();
    }
}
