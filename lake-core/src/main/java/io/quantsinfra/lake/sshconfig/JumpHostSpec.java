package io.quantsinfra.lake.sshconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One hop of a {@code ProxyJump} value, as ssh reads it: {@code [user@]host[:port]} or
 * {@code ssh://[user@]host[:port]}, with an IPv6 address in brackets. The host may be an alias
 * of the same ssh_config.
 *
 * @param user the login name, if given
 * @param host the host name, address or alias
 * @param port the port, if given
 */
record JumpHostSpec(Optional<String> user, String host, Optional<Integer> port) {

    /** {@code [user@]host[:port]}, as written. */
    @Override
    public String toString() {
        return user.map(u -> u + "@").orElse("") + (host.contains(":") ? "[" + host + "]" : host)
                + port.map(p -> ":" + p).orElse("");
    }

    /**
     * The hops of a {@code ProxyJump} value, in the order they are connected: the first is reached
     * directly, each next one through the one before.
     *
     * @return the hops; empty for {@code none}
     * @throws IllegalArgumentException naming the hop that is not {@code [user@]host[:port]}
     */
    static List<JumpHostSpec> parseList(String value) {
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<JumpHostSpec> hops = new ArrayList<>();
        for (String hop : value.split(",", -1)) {
            hops.add(parse(hop.strip()));
        }
        return List.copyOf(hops);
    }

    private static JumpHostSpec parse(String text) {
        String s = text;
        if (s.regionMatches(true, 0, "ssh://", 0, 6)) {
            s = s.substring(6);
            if (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        Optional<String> user = Optional.empty();
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = Optional.of(s.substring(0, at));
            s = s.substring(at + 1);
        }
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 < s.length() && s.charAt(close + 1) != ':') {
                throw bad(text);
            }
            host = s.substring(1, close);
            port = close + 1 < s.length() ? s.substring(close + 2) : null;
        } else if (s.indexOf(':') >= 0) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty() || user.map(String::isEmpty).orElse(false) || (host + user.orElse(""))
                .chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '\'' || c == '"')) {
            throw bad(text);
        }
        Optional<Integer> number = Optional.empty();
        if (port != null) {
            number = Optional.of(SshConfigValues.port(port).orElseThrow(() -> bad(text)));
        }
        return new JumpHostSpec(user, host, number);
    }

    private static IllegalArgumentException bad(String hop) {
        return new IllegalArgumentException("\"" + hop + "\" is not a jump host: write [user@]host[:port], several"
                + " separated by commas");
    }
}
