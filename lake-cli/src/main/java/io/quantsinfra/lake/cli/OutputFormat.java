package io.quantsinfra.lake.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;

/** {@code --format text|json}, shared by the commands that can print one JSON document. */
final class OutputFormat {
    @Parameter(names = "--format", description = "text, or json for one JSON document (stats also calls text \"table\")")
    private String format = "text";

    /**
     * Whether JSON was asked for.
     *
     * @throws ParameterException for a format that does not exist
     */
    boolean json() {
        return switch (format) {
            case "json" -> true;
            case "text", "table" -> false;
            default -> throw new ParameterException("--format must be text or json (got \"" + format + "\")");
        };
    }
}
