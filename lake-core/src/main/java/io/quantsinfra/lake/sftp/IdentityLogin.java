package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sftp.agent.AgentClient;
import io.quantsinfra.lake.sftp.agent.AgentIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Logs in with the first identity of {@link IdentitySources} the server accepts, as ssh does:
 * each key file is read ({@link KeyFileReader}) and offered, the agent's keys are offered in the
 * agent's order, and a key offered once is not offered again. When none is accepted, the failure
 * says why in the order that helps: the first problem with a key (missing, open to others,
 * passphrase missing or wrong), else the agent's (no identities, not reachable), else the keys
 * the server refused.
 */
final class IdentityLogin {
    private final PipelinedAuthClient ssh;
    private final SshSource source;
    private final IdentitySources sources;
    private final KeyFileReader keyFiles;
    private final Duration agentTimeout;

    private final List<IdentityProblem> problems = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final Set<ByteBuffer> offered = new HashSet<>();
    /** What the agent said, when it offered nothing: unset, unreachable, empty. */
    private Optional<String> agentNote = Optional.empty();
    private boolean agentEmpty;
    /** The first key file the server refused, whose {@code .pub} the hint names. */
    private Optional<Path> refusedFile = Optional.empty();

    /**
     * @param agentTimeout how long each request to the agent may take
     */
    IdentityLogin(PipelinedAuthClient ssh, SshSource source, IdentitySources sources, KeyFileReader keyFiles,
                  Duration agentTimeout) {
        this.ssh = ssh;
        this.source = source;
        this.sources = sources;
        this.keyFiles = keyFiles;
        this.agentTimeout = agentTimeout;
    }

    /**
     * Logs in, or throws. Problems with identities tried before the one that worked go to
     * {@code warnings} when a user should hear of them (see {@link IdentityProblem#warn}).
     *
     * @throws LakeException   of kind {@code CONNECTION} when no identity logs in
     * @throws IOException     when the link fails meanwhile
     */
    void login(Consumer<String> warnings) throws IOException {
        try {
            if (tryAll()) {
                problems.stream().filter(IdentityProblem::warn).forEach(p -> warnings.accept(p.message() + "; " + p.hint()));
                return;
            }
        } catch (TransportException e) {
            if (refused.isEmpty()) {
                throw e;
            }
            throw failure("sshd on " + source.host() + " closed the connection after refusing " + String.join(", ", refused),
                    "set source.ssh_key to the key the server accepts, so that it is offered first (sshd's MaxAuthTries"
                            + " limits how many keys a login may offer)", e);
        }
        throw failure();
    }

    private boolean tryAll() throws IOException {
        List<byte[]> namedKeys = sources.identitiesOnly() ? declaredKeys() : List.of();
        for (IdentitySources.Candidate candidate : sources.candidates()) {
            if (candidate instanceof IdentitySources.KeyFile file ? tryKeyFile(file)
                    : tryAgent((IdentitySources.Agent) candidate, namedKeys)) {
                return true;
            }
        }
        return false;
    }

    private boolean tryKeyFile(IdentitySources.KeyFile file) throws IOException {
        KeyFileReader.Result result = keyFiles.read(file);
        if (result instanceof KeyFileReader.Skipped skipped) {
            skipped.problem().ifPresent(problems::add);
            return false;
        }
        KeyFileReader.Loaded loaded = (KeyFileReader.Loaded) result;
        if (!offered.add(ByteBuffer.wrap(loaded.publicKey()))) {
            return false;
        }
        if (offer(new SignedPublickey(loaded.keys()))) {
            return true;
        }
        refused.add("key " + file.path());
        refusedFile = refusedFile.or(() -> Optional.of(file.path()));
        return false;
    }

    private boolean tryAgent(IdentitySources.Agent agent, List<byte[]> namedKeys) throws IOException {
        if (agent.socket().isEmpty()) {
            agentNote = Optional.of("$" + IdentitySources.AGENT_SOCKET_ENV + " is not set, so no ssh-agent was asked");
            return false;
        }
        try (AgentClient client = AgentClient.connect(agent.socket().get(), agentTimeout)) {
            List<AgentIdentity> identities = client.identities();
            if (identities.isEmpty()) {
                agentEmpty = true;
                agentNote = Optional.of("the ssh-agent at " + client.socket() + " holds no identities");
                return false;
            }
            for (AgentIdentity identity : identities) {
                if (sources.identitiesOnly() && namedKeys.stream().noneMatch(identity::isKey)
                        || !offered.add(ByteBuffer.wrap(identity.blob()))) {
                    continue;
                }
                AgentPublickey method = new AgentPublickey(client, identity);
                if (offer(method)) {
                    return true;
                }
                if (method.signFailure().isPresent()) {
                    problems.add(new IdentityProblem("the ssh-agent at " + client.socket() + " did not sign with "
                            + identity.describe() + ": " + method.signFailure().get().getMessage(),
                            "check the agent with ssh-add -l; a key added with ssh-add -c waits for a confirmation", true,
                            method.signFailure().get()));
                } else {
                    refused.add("ssh-agent key " + identity.describe());
                }
            }
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            agentNote = Optional.of("no ssh-agent answers at " + agent.socket().get() + " ($" + IdentitySources.AGENT_SOCKET_ENV
                    + "): " + e.getMessage());
        }
        return false;
    }

    /**
     * Offers one identity; whether the server accepted it.
     *
     * @throws TransportException when the server hung up, e.g. after too many refused keys
     */
    private boolean offer(AuthMethod method) throws TransportException {
        if (!ssh.isConnected()) {
            throw new TransportException("the server closed the connection");
        }
        try {
            ssh.authPipelined(source.user(), method);
            return true;
        } catch (UserAuthException e) {
            if (!ssh.isConnected()) {
                throw new TransportException("the server closed the connection", e);
            }
            return false;
        }
    }

    /** The public keys of the key files, for IdentitiesOnly: the agent's other keys are not offered. */
    private List<byte[]> declaredKeys() {
        List<byte[]> out = new ArrayList<>();
        for (IdentitySources.KeyFile file : sources.keyFiles()) {
            KeyFileReader.declaredPublicKey(file.path()).ifPresent(out::add);
        }
        return out;
    }

    /** Why no identity logged in, with the fix. */
    private LakeException failure() {
        String also = refused.isEmpty() ? "" : " (the server refused " + String.join(", ", refused) + ")";
        if (!problems.isEmpty()) {
            IdentityProblem first = problems.get(0);
            return failure(first.message() + also, first.hint(), first.cause());
        }
        if (!refused.isEmpty()) {
            return failure("authentication failed for " + source.where() + " with " + String.join(", ", refused),
                    refusedFile.isPresent() ? "add the matching public key (" + refusedFile.get() + ".pub) to ~" + source.user()
                            + "/.ssh/authorized_keys on " + source.host()
                            : "add the public key you log in with to ~" + source.user() + "/.ssh/authorized_keys on "
                            + source.host() + " (ssh-add -L prints the agent's), or set source.ssh_key", null);
        }
        String looked = sources.keyFiles().stream().map(k -> k.path().toString()).collect(Collectors.joining(", "));
        String agent = agentNote.orElse("no ssh-agent was asked");
        if (agentEmpty) {
            return failure(agent + ", and no key file was found (looked for " + looked + ")",
                    "add your key to the agent (ssh-add ~/.ssh/id_ed25519; ssh-add -l lists what it holds), or set"
                            + " source.ssh_key to the key file", null);
        }
        return failure("no key to log in to " + source.where() + " with: no key file was found (looked for " + looked
                + "), and " + agent, "set source.ssh_key to your private key file, or run where $"
                + IdentitySources.AGENT_SOCKET_ENV + " names an ssh-agent that holds it (under cron or systemd, set it in"
                + " the job's environment)", null);
    }

    private LakeException failure(String message, String hint, Throwable cause) {
        return new LakeException(LakeException.Kind.CONNECTION, source.where(), message, hint, cause);
    }
}
