package io.quantsinfra.lake.sshconfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * Expands what ssh expands in file names ({@code IdentityFile}, {@code UserKnownHostsFile}):
 * a leading {@code ~}, the {@code %} tokens given (and {@code %%}), and {@code ${NAME}} from the
 * run's environment. An unknown token or an unset variable is an error at the value's line, as
 * in ssh.
 */
final class Tokens {
    private Tokens() {
    }

    /**
     * @param found   the value and its line
     * @param keyword the keyword, for messages
     * @param tokens  what each {@code %} letter stands for
     * @param env     the environment, for {@code ${NAME}}
     * @param home    what {@code ~} stands for
     */
    static String expand(Found<String> found, String keyword, Map<Character, String> tokens, Map<String, String> env,
                         Path home) {
        String v = found.value();
        if (v.equals("~") || v.startsWith("~/")) {
            v = home + v.substring(1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                if (i + 1 == v.length()) {
                    throw found.origin().error(keyword + " ends with a lone %", "write %% for a percent sign");
                }
                char t = v.charAt(++i);
                String value = t == '%' ? "%" : tokens.get(t);
                if (value == null) {
                    throw found.origin().error(keyword + " uses the token %" + t + ", which is not supported here",
                            "use %d (home), %h (host name), %n (host as the profile names it), %p (port), %r (remote"
                                    + " user) or %u (local user)");
                }
                out.append(value);
            } else if (c == '$' && i + 1 < v.length() && v.charAt(i + 1) == '{') {
                int close = v.indexOf('}', i);
                if (close < 0) {
                    throw found.origin().error(keyword + " has an unclosed ${", "close it with }");
                }
                String name = v.substring(i + 2, close);
                String value = env.get(name);
                if (value == null) {
                    throw found.origin().error(keyword + " uses ${" + name + "}, which is not set",
                            "set " + name + " in the environment of the run, or write the path out");
                }
                out.append(value);
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
