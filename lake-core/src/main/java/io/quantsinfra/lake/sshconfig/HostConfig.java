package io.quantsinfra.lake.sshconfig;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an ssh_config file says for one host: the first value obtained for each key lake-core
 * honours, every {@code IdentityFile} in order, and warnings about lines that were ignored.
 * Tokens ({@code %h}, {@code ~}) are not expanded yet: they stand for values only the merge
 * with the profile settles.
 *
 * @param first         the first value of each keyword but IdentityFile, with its line
 * @param identityFiles every IdentityFile, in order, without repeats
 * @param warnings      what was read but not honoured, each naming its {@code file:line}
 */
record HostConfig(Map<Keyword, Found<Object>> first, List<Found<String>> identityFiles, List<String> warnings) {
    /** What an absent or disabled file says: nothing. */
    static final HostConfig EMPTY = new HostConfig(Map.of(), List.of(), List.of());

    /** Copies the collections so the record stays immutable. */
    HostConfig {
        first = first.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(first));
        identityFiles = List.copyOf(identityFiles);
        warnings = List.copyOf(warnings);
    }

    Optional<Found<String>> hostName() {
        return get(Keyword.HOSTNAME);
    }

    Optional<Found<Integer>> port() {
        return get(Keyword.PORT);
    }

    Optional<Found<String>> user() {
        return get(Keyword.USER);
    }

    Optional<Found<Boolean>> identitiesOnly() {
        return get(Keyword.IDENTITIESONLY);
    }

    Optional<Found<List<String>>> userKnownHostsFiles() {
        return get(Keyword.USERKNOWNHOSTSFILE);
    }

    /** ConnectTimeout; a present Found with an empty value is {@code ConnectTimeout none}. */
    Optional<Found<Optional<Duration>>> connectTimeout() {
        return get(Keyword.CONNECTTIMEOUT);
    }

    Optional<Found<Duration>> serverAliveInterval() {
        return get(Keyword.SERVERALIVEINTERVAL);
    }

    Optional<Found<Integer>> serverAliveCountMax() {
        return get(Keyword.SERVERALIVECOUNTMAX);
    }

    /** The jump hosts; a present Found with an empty list is {@code ProxyJump none}. */
    Optional<Found<List<JumpHostSpec>>> proxyJump() {
        return get(Keyword.PROXYJUMP);
    }

    Optional<Found<String>> proxyCommand() {
        return get(Keyword.PROXYCOMMAND);
    }

    /** The values are put in by {@link SshConfigReader} with the type {@link Keyword#parse} gives. */
    @SuppressWarnings("unchecked")
    private <T> Optional<Found<T>> get(Keyword k) {
        return Optional.ofNullable((Found<T>) first.get(k));
    }
}
