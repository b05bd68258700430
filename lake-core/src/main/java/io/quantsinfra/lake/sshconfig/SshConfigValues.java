package io.quantsinfra.lake.sshconfig;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes of the keys lake-core honours, as ssh accepts them. */
final class SshConfigValues {
    private static final Pattern TIME_PART = Pattern.compile("(\\d{1,9})([smhdwSMHDW]?)");

    private SshConfigValues() {
    }

    /** A port, 1 to 65535. */
    static Optional<Integer> port(String text) {
        if (!text.matches("\\d{1,5}")) {
            return Optional.empty();
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
    }

    /** {@code yes}/{@code true} or {@code no}/{@code false}, in any case. */
    static Optional<Boolean> flag(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> Optional.of(true);
            case "no", "false" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** A whole number, 0 or more. */
    static Optional<Integer> count(String text) {
        return text.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(text)) : Optional.empty();
    }

    /**
     * A time as ssh writes it: seconds ({@code 30}), or numbers with units run together
     * ({@code 1m30s}; s, m, h, d, w in any case).
     */
    static Optional<Duration> time(String text) {
        Matcher m = TIME_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofSeconds(n);
            });
            at = m.end();
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(total);
    }
}
