package io.quantsinfra.lake.sshconfig;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ssh_config keys lake-core honours, each with the syntax of its value. Every other keyword
 * is left to ssh: it is skipped without a word, as lake-core shares the user's file with ssh.
 */
enum Keyword {
    /** The real host name for an alias; {@code %h} stands for the alias. */
    HOSTNAME,
    PORT,
    USER,
    /** May be given many times; every one counts, in order. */
    IDENTITYFILE,
    IDENTITIESONLY,
    /** Takes one or more files; the first is the one host keys are checked against. */
    USERKNOWNHOSTSFILE,
    /** {@code none} leaves the default. */
    CONNECTTIMEOUT,
    SERVERALIVEINTERVAL,
    SERVERALIVECOUNTMAX,
    /** Shares its place with ProxyCommand: whichever comes first wins. */
    PROXYJUMP,
    /** Not supported; read only so that it can win over a later ProxyJump, as in ssh. */
    PROXYCOMMAND;

    /** The keyword as ssh_config spells it in its manual. */
    String spelling() {
        return switch (this) {
            case HOSTNAME -> "HostName";
            case PORT -> "Port";
            case USER -> "User";
            case IDENTITYFILE -> "IdentityFile";
            case IDENTITIESONLY -> "IdentitiesOnly";
            case USERKNOWNHOSTSFILE -> "UserKnownHostsFile";
            case CONNECTTIMEOUT -> "ConnectTimeout";
            case SERVERALIVEINTERVAL -> "ServerAliveInterval";
            case SERVERALIVECOUNTMAX -> "ServerAliveCountMax";
            case PROXYJUMP -> "ProxyJump";
            case PROXYCOMMAND -> "ProxyCommand";
        };
    }

    /** The keyword a line starts with, if lake-core honours it. */
    static Optional<Keyword> of(String lowerCase) {
        return Arrays.stream(values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(lowerCase)).findFirst();
    }

    /**
     * The line's value, checked: a String, an Integer port or count, a Boolean, a Duration (an
     * empty Optional for {@code ConnectTimeout none}), a list of files or of jump hosts.
     *
     * @throws io.quantsinfra.lake.LakeException naming the line, when the value is not valid
     */
    Object parse(SshConfigLine line) {
        return switch (this) {
            case HOSTNAME, USER, IDENTITYFILE -> line.arg();
            case PORT -> SshConfigValues.port(line.arg())
                    .orElseThrow(() -> invalid(line, "must be a port from 1 to 65535"));
            case IDENTITIESONLY -> SshConfigValues.flag(line.arg()).orElseThrow(() -> invalid(line, "must be yes or no"));
            case USERKNOWNHOSTSFILE -> List.copyOf(line.args());
            case CONNECTTIMEOUT -> line.arg().equals("none") ? Optional.empty()
                    : Optional.of(SshConfigValues.time(line.arg()).orElseThrow(() -> invalid(line, timeRule())));
            case SERVERALIVEINTERVAL -> SshConfigValues.time(line.arg()).orElseThrow(() -> invalid(line, timeRule()));
            case SERVERALIVECOUNTMAX -> SshConfigValues.count(line.arg())
                    .orElseThrow(() -> invalid(line, "must be a whole number, 0 or more"));
            case PROXYJUMP -> jumps(line);
            case PROXYCOMMAND -> line.restOfLine();
        };
    }

    private static List<JumpHostSpec> jumps(SshConfigLine line) {
        try {
            return JumpHostSpec.parseList(line.restOfLine());
        } catch (IllegalArgumentException e) {
            throw line.error("ProxyJump: " + e.getMessage(), "fix the jump host, or write ProxyJump none");
        }
    }

    private static String timeRule() {
        return "must be a time in seconds, or with units such as 1m30s";
    }

    private io.quantsinfra.lake.LakeException invalid(SshConfigLine line, String rule) {
        return line.error(spelling() + " " + rule + " (got \"" + line.rest().strip() + "\")", "fix the value");
    }
}
