package io.quantsinfra.lake.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one YAML document into a JSON tree shaped like {@link ConfigSchema}, remembering where
 * every value stood so that later findings can be reported at {@code file:line:column}. Values of
 * the wrong type are reported and left out of the tree, so binding it never fails.
 */
final class YamlConfigReader {
    /** Larger config files are refused before parsing. */
    static final int MAX_CODE_POINTS = 1 << 20;
    private static final int MAX_ALIASES = 20;
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");
    private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("false", "False", "FALSE");

    private final String file;
    private final Interpolation interpolation;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final Set<String> reportedPaths = new java.util.HashSet<>();
    private final Map<String, Mark> positions = new HashMap<>();

    /** @param env what {@code ${VAR}} in a value reads (see {@link Interpolation}) */
    YamlConfigReader(String file, Map<String, String> env) {
        this.file = file;
        this.interpolation = new Interpolation(env);
    }

    /** The errors found while reading. */
    List<ConfigProblem> errors() {
        return errors;
    }

    /** Whether the reader already reported a problem at {@code path}. */
    boolean reported(String path) {
        return reportedPaths.contains(path);
    }

    /**
     * Places a finding: at its own value if that was read, else at the nearest enclosing key.
     */
    ConfigProblem place(Finding f) {
        String p = f.path();
        while (true) {
            Mark m = positions.get(p);
            if (m != null) {
                return new ConfigProblem(file, m.getLine() + 1, m.getColumn() + 1, f.path(), f.message());
            }
            int dot = p.lastIndexOf('.');
            if (dot >= 0) {
                p = p.substring(0, dot);
            } else if (!p.equals("data_lake") && !p.isEmpty()) {
                p = "data_lake";
            } else if (!p.isEmpty()) {
                p = "";
            } else {
                return new ConfigProblem(file, 0, 0, f.path(), f.message());
            }
        }
    }

    /** Reads {@code text}; returns the {@code data_lake} tree when the document has one. */
    Optional<ObjectNode> read(String text) {
        if (!checkTabs(text)) {
            return Optional.empty();
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setAllowRecursiveKeys(false)
                .setUseMarks(true)
                .build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            String message = "YAML syntax error: " + e.getProblem()
                    + (e.getContext() == null || e.getContext().isEmpty() ? "" : " (" + e.getContext() + ")");
            errors.add(m == null ? new ConfigProblem(file, 0, 0, "", message)
                    : new ConfigProblem(file, m.getLine() + 1, m.getColumn() + 1, "", message));
            return Optional.empty();
        } catch (YamlEngineException e) {
            errors.add(new ConfigProblem(file, 0, 0, "", "cannot read YAML: " + e.getMessage()));
            return Optional.empty();
        }
        if (document.isEmpty() || isNull(document.get())) {
            errors.add(new ConfigProblem(file, 0, 0, "", "the file is empty; it needs a top-level data_lake: section"
                    + " (see config/data_lake.example.yml)"));
            return Optional.empty();
        }
        Node root = document.get();
        root.getStartMark().ifPresent(m -> positions.put("", m));
        if (!(root instanceof MappingNode)) {
            error("", root, "the file must be a mapping with a top-level data_lake: key (got " + describe(root) + ")");
            return Optional.empty();
        }
        JsonNode doc = walk(root, ConfigSchema.DOCUMENT, "");
        JsonNode lake = doc == null ? null : doc.get("data_lake");
        if (doc != null && lake == null && !reported("data_lake")) {
            error("data_lake", root, "required top-level key is missing; the file must start with data_lake:");
        }
        return lake instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    }

    /** Reports each tab in indentation; YAML forbids them and parsers give poor messages. */
    private boolean checkTabs(String text) {
        String[] lines = text.split("\n", -1);
        boolean ok = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (int c = 0; c < line.length() && (line.charAt(c) == ' ' || line.charAt(c) == '\t'); c++) {
                if (line.charAt(c) == '\t') {
                    errors.add(new ConfigProblem(file, i + 1, c + 1, "",
                            "tab character in indentation; YAML indents with spaces only, so replace the tab with spaces"));
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }

    private JsonNode walk(Node node, ConfigSchema.Shape shape, String path) {
        if (shape instanceof ConfigSchema.Scalar s) {
            return scalar(node, s, path);
        }
        if (shape instanceof ConfigSchema.Strings s) {
            return strings(node, s, path);
        }
        if (!(node instanceof MappingNode map)) {
            error(path, node, (isNull(node) ? "has no value" : "must be a mapping (got " + describe(node) + ")")
                    + "; indent its keys below it" + (path.isEmpty() ? "" : " as in config/data_lake.example.yml"));
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            Node value = t.getValueNode();
            if (!(keyNode instanceof ScalarNode ks)) {
                error(path, keyNode, "keys must be plain names (got " + describe(keyNode) + ")");
                continue;
            }
            String key = ks.getValue();
            // Paths are written relative to data_lake, as users read them: profiles.x.source.port
            String child = shape == ConfigSchema.DOCUMENT || shape == ConfigSchema.DATA_LAKE ? key : path + "." + key;
            int line = keyNode.getStartMark().map(m -> m.getLine() + 1).orElse(0);
            Integer first = seen.putIfAbsent(key, line);
            if (first != null) {
                error(child, keyNode, "duplicate key \"" + key + "\" (first defined on line " + first + "); keep one");
                continue;
            }
            ConfigSchema.Shape childShape;
            if (shape instanceof ConfigSchema.Dict d) {
                childShape = d.values();
            } else {
                Map<String, ConfigSchema.Shape> fields = ((ConfigSchema.Struct) shape).fields();
                childShape = fields.get(key);
                if (childShape == null) {
                    error(child, keyNode, unknownKey(key, fields.keySet(), shape == ConfigSchema.DOCUMENT));
                    continue;
                }
            }
            Node markAt = childShape instanceof ConfigSchema.Scalar || childShape instanceof ConfigSchema.Strings ? value : keyNode;
            markAt.getStartMark().ifPresent(m -> positions.put(child, m));
            JsonNode v = walk(value, childShape, child);
            if (v != null) {
                out.set(key, v);
            }
        }
        return out;
    }

    /** A list of strings, each interpolated as a string value is; flow ({@code [a, b]}) or block style. */
    private JsonNode strings(Node node, ConfigSchema.Strings s, String path) {
        if (!(node instanceof SequenceNode list)) {
            error(path, node, s.rule() + " (got " + describe(node) + ")");
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        ConfigSchema.Scalar item = new ConfigSchema.Scalar(ConfigSchema.ScalarType.STRING, s.rule());
        for (Node element : list.getValue()) {
            JsonNode v = scalar(element, item, path);
            if (v == null) {
                return null;
            }
            out.add(v);
        }
        return out;
    }

    private JsonNode scalar(Node node, ConfigSchema.Scalar s, String path) {
        if (!(node instanceof ScalarNode sn)) {
            error(path, node, s.rule() + " (got " + describe(node) + ")");
            return null;
        }
        if (isNull(node)) {
            error(path, node, "has no value; set one, or remove the line to use the default");
            return null;
        }
        Interpolation.Result interpolated = interpolation.apply(sn.getValue());
        if (interpolated instanceof Interpolation.Problem p) {
            error(path, node, p.message());
            return null;
        }
        String text = ((Interpolation.Value) interpolated).text();
        switch (s.type()) {
            case STRING:
                return JsonNodeFactory.instance.textNode(text);
            case INTEGER:
                if (INTEGER.matcher(text.trim()).matches()) {
                    long n = Long.parseLong(text.trim());
                    if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                        return JsonNodeFactory.instance.numberNode((int) n);
                    }
                }
                error(path, node, s.rule() + " (got \"" + text + "\")");
                return null;
            default:
                if (TRUE.contains(text) || FALSE.contains(text)) {
                    return JsonNodeFactory.instance.booleanNode(TRUE.contains(text));
                }
                error(path, node, s.rule() + " (got \"" + text + "\")");
                return null;
        }
    }

    private void error(String path, Node at, String message) {
        Mark m = at.getStartMark().orElse(null);
        reportedPaths.add(path);
        errors.add(m == null ? new ConfigProblem(file, 0, 0, path, message)
                : new ConfigProblem(file, m.getLine() + 1, m.getColumn() + 1, path, message));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN && Tag.NULL.equals(s.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        return isNull(node) ? "nothing" : "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    static String unknownKey(String key, Set<String> known, boolean topLevel) {
        Optional<String> near = known.stream()
                .filter(k -> Spelling.distance(normalize(k), normalize(key)) <= Math.min(3, Math.max(2, k.length() / 3)))
                .min(Comparator.comparingInt(k -> Spelling.distance(normalize(k), normalize(key))));
        String where = topLevel ? "unknown top-level key \"" + key + "\"" : "unknown key \"" + key + "\"";
        return near.map(k -> where + "; did you mean \"" + k + "\"?")
                .orElse(where + "; expected one of: " + String.join(", ", known));
    }

    private static String normalize(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
