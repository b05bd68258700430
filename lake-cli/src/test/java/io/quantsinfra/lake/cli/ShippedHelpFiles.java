package io.quantsinfra.lake.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the shell completions and the man page that the tarball ships, from the same
 * {@link CommandHelp} records as {@code --help}. They are kept in lake-cli/src/dist; a test fails
 * when they differ from what this renders, and {@code -Dregenerate=true} rewrites them.
 */
final class ShippedHelpFiles {
    private static final String PROGRAM = "quants-infra";
    private static final String GROUP = "data-lake";

    private final Map<String, CommandHelp> commands;

    ShippedHelpFiles(Map<String, CommandHelp> commands) {
        this.commands = commands;
    }

    /** bash: the group, the commands, each command's options, files after --config and --dir, text|json after --format. */
    String bash() {
        StringBuilder sb = new StringBuilder("# bash completion for " + PROGRAM + "; generated from its --help (do not edit)\n"
                + "# install: cp quants-infra.bash /etc/bash_completion.d/quants-infra\n"
                + "_quants_infra() {\n"
                + "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts\n"
                + "    if ((COMP_CWORD == 1)); then\n"
                + "        mapfile -t COMPREPLY < <(compgen -W \"" + GROUP + " --help --version\" -- \"$cur\")\n"
                + "        return\n"
                + "    fi\n"
                + "    if ((COMP_CWORD == 2)); then\n"
                + "        mapfile -t COMPREPLY < <(compgen -W \"" + String.join(" ", commands.keySet()) + " --help\" -- \"$cur\")\n"
                + "        return\n"
                + "    fi\n"
                + "    case $prev in\n"
                + "        --config | --dir) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return ;;\n"
                + "        --format) mapfile -t COMPREPLY < <(compgen -W \"text json\" -- \"$cur\"); return ;;\n"
                + "    esac\n"
                + "    case ${COMP_WORDS[2]} in\n");
        commands.forEach((name, help) -> sb.append("        ").append(name).append(") opts=\"")
                .append(help.options().stream().flatMap(o -> names(o).stream()).collect(Collectors.joining(" ")))
                .append("\" ;;\n"));
        return sb.append("        *) return ;;\n"
                + "    esac\n"
                + "    mapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
                + "}\n"
                + "complete -F _quants_infra " + PROGRAM + "\n").toString();
    }

    /** zsh: the same, with each command's and option's description. */
    String zsh() {
        StringBuilder sb = new StringBuilder("#compdef " + PROGRAM + "\n"
                + "# zsh completion for " + PROGRAM + "; generated from its --help (do not edit)\n"
                + "# install: cp _quants-infra into a directory of $fpath, e.g. /usr/local/share/zsh/site-functions\n"
                + "_quants_infra() {\n"
                + "    local -a commands\n"
                + "    commands=(\n");
        commands.forEach((name, help) -> sb.append("        '").append(name).append(':').append(zshQuote(help.description()))
                .append("'\n"));
        sb.append("    )\n"
                + "    if ((CURRENT == 2)); then\n"
                + "        _values 'command group' " + GROUP + "\n"
                + "        return\n"
                + "    fi\n"
                + "    if ((CURRENT == 3)); then\n"
                + "        _describe 'command' commands\n"
                + "        return\n"
                + "    fi\n"
                + "    shift 2 words\n"
                + "    ((CURRENT -= 2))\n"
                + "    case $words[1] in\n");
        commands.forEach((name, help) -> {
            sb.append("        ").append(name).append(")\n            _arguments");
            for (CommandHelp.Option o : help.options()) {
                List<String> names = names(o);
                String exclusive = names.size() > 1 ? "(" + String.join(" ", names) + ")" : "";
                String spec = "'" + exclusive + (names.size() > 1 ? "'{" + String.join(",", names) + "}'" : names.get(0))
                        + "[" + zshQuote(o.description()) + "]" + o.value().map(ShippedHelpFiles::zshValue).orElse("") + "'";
                sb.append(" \\\n                ").append(spec);
            }
            sb.append(" \\\n                '*:profile: '\n            ;;\n");
        });
        return sb.append("    esac\n"
                + "}\n"
                + "_quants_infra \"$@\"\n").toString();
    }

    /** man(7) roff: name, synopsis, each command with its options, exit status, files. */
    String man() {
        StringBuilder sb = new StringBuilder(".\\\" generated from quants-infra's --help (do not edit)\n"
                + ".TH QUANTS-INFRA 1 \"\" \"quants-infra\" \"User Commands\"\n"
                + ".SH NAME\n"
                + "quants-infra \\- mirror Parquet part files from remote collectors over SFTP into a data lake\n"
                + ".SH SYNOPSIS\n"
                + ".B quants-infra data-lake\n"
                + ".I command\n"
                + "[\\fIoptions\\fR]\n"
                + ".SH DESCRIPTION\n"
                + "Mirrors append-only Parquet part files from collector hosts over SFTP, with rsync's semantics: it resumes\n"
                + "interrupted transfers, mirrors deletions with guards, enforces a retention window, and keeps a checkpoint\n"
                + "per profile. No rsync or ssh binary is used.\n"
                + ".SH COMMANDS\n");
        commands.forEach((name, help) -> {
            sb.append(".SS ").append(roff(help.usage())).append('\n').append(roff(help.description())).append(".\n");
            for (CommandHelp.Option o : help.options()) {
                sb.append(".TP\n.B ").append(roff(o.names())).append(o.value().map(v -> " \\fI" + roff(v) + "\\fR").orElse(""))
                        .append('\n').append(roff(o.description())).append('\n');
            }
        });
        sb.append(".SH EXIT STATUS\n");
        ExitCode.described().forEach((code, meaning) -> sb.append(".TP\n.B ").append(code).append('\n').append(roff(meaning))
                .append('\n'));
        return sb.append(".SH FILES\n"
                + ".TP\n.I config/data_lake.yml\n"
                + "The default config; also \\fB$DATA_LAKE_CONFIG\\fR or \\fB\\-\\-config\\fR.\n"
                + ".SH SEE ALSO\n"
                + ".BR rsync (1),\n"
                + ".BR ssh_config (5);\n"
                + "the README.md and docs/ shipped beside it.\n").toString();
    }

    private static List<String> names(CommandHelp.Option o) {
        return List.of(o.names().split(", "));
    }

    private static String zshValue(String value) {
        return value.equals("PATH") || value.equals("DIR") ? ":path:_files" : value.contains("|")
                ? ":format:(" + value.replace('|', ' ') + ")" : ":" + value.toLowerCase(java.util.Locale.ROOT) + ": ";
    }

    /** Text inside a single-quoted zsh word and an _arguments description. */
    private static String zshQuote(String s) {
        return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    /** Text as roff prints it literally: backslashes and hyphens escaped, no line starting with a dot. */
    private static String roff(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
