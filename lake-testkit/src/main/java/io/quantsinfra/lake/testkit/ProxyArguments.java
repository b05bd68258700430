package io.quantsinfra.lake.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A proxy's command line: options with a whole, non-negative number each, as {@code --name VALUE} or
 * {@code --name=VALUE}, or a request for help.
 *
 * @param help whether {@code -h} or {@code --help} came before any error
 * @param values the value of each option given, by name with its dashes
 */
record ProxyArguments(boolean help, Map<String, Long> values) {

    ProxyArguments {
        values = Map.copyOf(values);
    }

    /**
     * Reads {@code args}, allowing only the options in {@code names}.
     *
     * @throws IllegalArgumentException with a message for the user: an unknown option, a missing or negative
     *     value, or (as a {@link NumberFormatException}) a value that is not a number
     */
    static ProxyArguments parse(List<String> args, Set<String> names) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("-h") || option.equals("--help")) {
                return new ProxyArguments(true, values);
            }
            String value;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(option + " needs a value");
            }
            if (!names.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            values.put(option, v);
        }
        return new ProxyArguments(false, values);
    }

    /** The value of {@code name}, or {@code fallback} if it was not given. */
    long get(String name, long fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of a port option, or {@code fallback}; a value beyond any port stays out of range. */
    int port(String name, int fallback) {
        return (int) Math.min(get(name, fallback), Integer.MAX_VALUE);
    }
}
