package io.quantsinfra.lake.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.Parameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a command's {@code --help} says, read from its JCommander definitions, so that the help
 * cannot drift from the options it describes: the usage line, each option with its value and
 * default, the extra sections the command adds, the exit codes and the examples.
 *
 * @param usage       the usage line, e.g. {@code quants-infra data-lake sync [options] PROFILE... | --all}
 * @param description what the command does, in a sentence
 * @param options     its options, sorted by their longest name
 * @param sections    more the command has to say, e.g. the {@code rsync_args} flags
 * @param examples    example command lines, one per line
 */
record CommandHelp(String usage, String description, List<Option> options, String sections, String examples) {
    private static final int NAME_COLUMN = 26;
    private static final int WIDTH = 100;
    /** Values whose name alone would not say what to give. */
    private static final Map<String, String> VALUES = Map.of("--config", "PATH", "--format", "text|json");

    /**
     * One option.
     *
     * @param names       its names, e.g. {@code -n, --dry-run}
     * @param value       what it takes, e.g. {@code N}; empty for a switch
     * @param description what it does, with its default where that says something
     */
    record Option(String names, Optional<String> value, String description) {
    }

    /** The help of {@code command}, whose options {@code jc} has parsed. */
    static CommandHelp of(String program, Command command, JCommander jc) {
        List<Option> options = new ArrayList<>();
        List<ParameterDescription> described = new ArrayList<>(jc.getParameters());
        described.sort(Comparator.comparing(d -> d.getLongestName().replaceFirst("^-+", "")));
        for (ParameterDescription d : described) {
            if (d.getParameter().hidden()) {
                continue;
            }
            boolean isSwitch = d.getParameterized().getType() == boolean.class;
            Optional<String> value = isSwitch ? Optional.empty() : Optional.of(placeholder(d));
            Object def = d.getDefault();
            boolean saysDefault = d.getDescription().contains("default");
            String description = d.getDescription() + (isSwitch || def == null || saysDefault ? "" : " (default: " + def + ")");
            options.add(new Option(d.getNames(), value, description));
        }
        String main = jc.getMainParameter() == null ? "" : " " + jc.getMainParameterDescription();
        String all = options.stream().anyMatch(o -> o.names().equals("--all")) ? " | --all" : "";
        return new CommandHelp(program + " " + command.name() + " [options]" + main + all,
                command.getClass().getAnnotation(Parameters.class).commandDescription(), options, command.moreHelp(),
                command.examples());
    }

    /** The value an option takes: its own word if it has one, N for a number, else its name in capitals. */
    private static String placeholder(ParameterDescription d) {
        Class<?> type = d.getParameterized().getType();
        if (VALUES.containsKey(d.getLongestName())) {
            return VALUES.get(d.getLongestName());
        }
        if (type == int.class || type == Integer.class || type == long.class) {
            return "N";
        }
        return d.getLongestName().replaceFirst("^-+", "").toUpperCase(Locale.ROOT);
    }

    /** The help as the terminal shows it. */
    String text() {
        StringBuilder sb = new StringBuilder("Usage: " + usage + "\n" + description + "\n\nOptions:\n");
        for (Option o : options) {
            String left = "  " + o.names() + o.value().map(v -> " " + v).orElse("");
            List<String> lines = wrap(o.description(), WIDTH - NAME_COLUMN);
            sb.append(left.length() < NAME_COLUMN ? String.format("%-" + NAME_COLUMN + "s%s%n", left, lines.get(0))
                    : left + "\n" + " ".repeat(NAME_COLUMN) + lines.get(0) + "\n");
            lines.subList(1, lines.size()).forEach(l -> sb.append(" ".repeat(NAME_COLUMN)).append(l).append('\n'));
        }
        if (!sections.isEmpty()) {
            sb.append('\n').append(sections);
        }
        sb.append("\nExit codes:\n");
        ExitCode.described().forEach((code, meaning) -> sb.append(String.format("  %-4d%s%n", code, meaning)));
        return sb.append("\nExamples:\n").append(examples).append('\n').toString();
    }

    /** {@code text} cut at spaces into lines of at most {@code width} characters. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
