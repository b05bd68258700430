package io.quantsinfra.lake.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in config values, taken from the environment, so
 * that one config serves several hosts: {@code host: ${COLLECTOR_HOST}}. {@code $$} is a literal
 * {@code $}; any other {@code $} stays as it is. As in a shell, {@code :-} also applies when the
 * variable is set but empty.
 */
final class Interpolation {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$\\{[^}]*}?");

    private final Map<String, String> env;

    /** @param env the variables {@code ${VAR}} reads */
    Interpolation(Map<String, String> env) {
        this.env = env;
    }

    /** The value with its references replaced, or why it cannot be. */
    sealed interface Result permits Value, Problem {
    }

    /** The interpolated value. */
    record Value(String text) implements Result {
    }

    /** A reference that cannot be replaced, and how to fix it. */
    record Problem(String message) implements Result {
    }

    /** Replaces the references in {@code text}. */
    Result apply(String text) {
        if (text.indexOf('$') < 0) {
            return new Value(text);
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(1) == null) {
                return new Problem("\"" + m.group() + "\" is not a variable reference; write ${NAME} or ${NAME:-default}"
                        + " (NAME: letters, digits, _), or $$ for a literal $");
            } else {
                Optional<String> value = Optional.ofNullable(env.get(m.group(1))).filter(v -> !v.isEmpty() || m.group(2) == null);
                if (value.isEmpty() && m.group(2) == null) {
                    return new Problem("${" + m.group(1) + "} is not set in the environment; set it, or give a default:"
                            + " ${" + m.group(1) + ":-value}");
                }
                replacement = value.orElse(m.group(2));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return new Value(out.toString());
    }
}
