package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.LakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of an ssh_config file, split as ssh splits it: a keyword, matched without regard to
 * case, then its arguments after blanks or one {@code =} ({@code Port 22}, {@code Port=22});
 * arguments are separated by blanks, may be quoted with {@code "} or {@code '}, and a {@code #}
 * that starts one ends the line.
 *
 * @param keyword the keyword, in lower case
 * @param rest    everything after the keyword and its separator, as written
 * @param file    the file, for messages
 * @param number  the 1-based line number, for messages
 */
record SshConfigLine(String keyword, String rest, Path file, int number) {

    /** The line's keyword and text, or empty for a blank line or a comment. */
    static Optional<SshConfigLine> parse(String text, Path file, int number) {
        int end = text.length();
        while (end > 0 && (isBlank(text.charAt(end - 1)) || text.charAt(end - 1) == '\f')) {
            end--;
        }
        int i = skipBlanks(text, 0, end);
        if (i == end || text.charAt(i) == '#') {
            return Optional.empty();
        }
        int start = i;
        while (i < end && !isBlank(text.charAt(i)) && text.charAt(i) != '=') {
            i++;
        }
        String keyword = text.substring(start, i).toLowerCase(Locale.ROOT);
        i = skipBlanks(text, i, end);
        if (i < end && text.charAt(i) == '=') {
            i = skipBlanks(text, i + 1, end);
        }
        return Optional.of(new SshConfigLine(keyword, text.substring(i, end), file, number));
    }

    /** Where the line stands. */
    Origin origin() {
        return Origin.sshConfig(file, number);
    }

    /**
     * The arguments, unquoted.
     *
     * @throws LakeException for an unclosed quote, or a keyword without arguments
     */
    List<String> args() {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = rest.length();
        while (i < n) {
            char c = rest.charAt(i);
            if (isBlank(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                break;
            }
            StringBuilder arg = new StringBuilder();
            char quote = 0;
            for (; i < n; i++) {
                c = rest.charAt(i);
                if (c == '\\' && i + 1 < n && isEscapable(rest.charAt(i + 1), quote)) {
                    arg.append(rest.charAt(++i));
                } else if (quote == 0 && isBlank(c)) {
                    break;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    arg.append(c);
                }
            }
            if (quote != 0) {
                throw error("unclosed quote", "close the quote, or remove it");
            }
            out.add(arg.toString());
        }
        if (out.isEmpty()) {
            throw error("no value after " + keyword, "give " + keyword + " a value, or remove the line");
        }
        return out;
    }

    /**
     * The one argument of a keyword that takes one.
     *
     * @throws LakeException when there is none, or more
     */
    String arg() {
        List<String> args = args();
        if (args.size() > 1) {
            throw error(keyword + " takes one value (got " + args.size() + ": " + String.join(" ", args) + ")",
                    "quote a value that contains blanks, or remove the extra words");
        }
        if (args.get(0).isEmpty()) {
            throw error(keyword + " has an empty value", "give it a value, or remove the line");
        }
        return args.get(0);
    }

    /** The text up to a {@code #}, trimmed: ProxyJump and ProxyCommand take the rest of the line. */
    String restOfLine() {
        int hash = rest.indexOf('#');
        String text = (hash >= 0 ? rest.substring(0, hash) : rest).strip();
        if (text.isEmpty()) {
            throw error("no value after " + keyword, "give " + keyword + " a value, or remove the line");
        }
        return text;
    }

    /** A configuration error at this line, as {@code file:line: message}. */
    LakeException error(String message, String hint) {
        return origin().error(message, hint);
    }

    private static boolean isEscapable(char next, char quote) {
        return next == '\'' || next == '"' || next == '\\' || quote == 0 && next == ' ';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int skipBlanks(String s, int i, int end) {
        while (i < end && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
