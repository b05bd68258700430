package io.quantsinfra.lake.config;

/**
 * One finding about a configuration: an error that makes it unusable, or a warning.
 *
 * @param file    the config file as the user named it, or empty for a config built in code
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param path    the YAML path below {@code data_lake}, e.g. {@code profiles.cex_ticks.source.port}
 * @param message what is wrong and how to fix it
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    /** {@code file:line:column: path: message}, leaving out what is unknown. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (!file.isEmpty()) {
            sb.append(file).append(':');
            if (line > 0) {
                sb.append(line).append(':').append(column).append(':');
            }
            sb.append(' ');
        }
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
