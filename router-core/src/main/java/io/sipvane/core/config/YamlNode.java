package io.sipvane.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node with its path from the document root ({@code trunks[0].match}), so every
 * error can say where it is. Reads scalars strictly: a string where a number belongs is an
 * error, not a zero.
 */
final class YamlNode {
    private final Node node;
    private final String path;
    private final int line;
    private Map<String, YamlNode> entries;

    YamlNode(Node node, String path, int fallbackLine) {
        this.node = node;
        this.path = path;
        this.line = node.getStartMark().map(m -> m.getLine() + 1).orElse(fallbackLine);
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    ConfigException fail(String problem) {
        return new ConfigException(path, line, problem);
    }

    boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    String string() throws ConfigException {
        if (!(node instanceof ScalarNode s) || isNull()) {
            throw fail("expected a string, got " + kind());
        }
        return s.getValue();
    }

    int integer() throws ConfigException {
        if (!(node instanceof ScalarNode s) || isNull()) {
            throw fail("expected an integer, got " + kind());
        }
        String v = s.getValue();
        if (!v.matches("[-+]?[0-9]{1,10}")) {
            throw fail("expected an integer, got \"" + v + "\"");
        }
        long value = Long.parseLong(v);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw fail(v + " is out of range");
        }
        return (int) value;
    }

    boolean bool() throws ConfigException {
        if (node instanceof ScalarNode s && !isNull()) {
            if (s.getValue().equalsIgnoreCase("true")) {
                return true;
            }
            if (s.getValue().equalsIgnoreCase("false")) {
                return false;
            }
            throw fail("expected true or false, got \"" + s.getValue() + "\"");
        }
        throw fail("expected true or false, got " + kind());
    }

    List<YamlNode> list() throws ConfigException {
        if (!(node instanceof SequenceNode seq)) {
            throw fail("expected a list, got " + kind());
        }
        List<YamlNode> items = new ArrayList<>(seq.getValue().size());
        for (int i = 0; i < seq.getValue().size(); i++) {
            items.add(new YamlNode(seq.getValue().get(i), path + "[" + i + "]", line));
        }
        return items;
    }

    /** The mapping's entries, checked against the keys this section knows. */
    Map<String, YamlNode> map(Set<String> knownKeys) throws ConfigException {
        if (entries != null) {
            return entries;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw fail("expected a mapping, got " + kind());
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode key = new YamlNode(tuple.getKeyNode(), path, line);
            String name = key.string();
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (!knownKeys.contains(name)) {
                throw new ConfigException(childPath, key.line(), "unknown key (expected one of: " + String.join(", ", knownKeys) + ")");
            }
            if (out.containsKey(name)) {
                throw new ConfigException(childPath, key.line(), "duplicate key");
            }
            out.put(name, new YamlNode(tuple.getValueNode(), childPath, key.line()));
        }
        entries = out;
        return out;
    }

    /**
     * The node at a path relative to this one ({@code match.numbers[2]}), as deep as it
     * exists; used to place an error reported by a model constructor.
     */
    YamlNode locate(String relativePath) {
        YamlNode current = this;
        for (String segment : relativePath.split("\\.")) {
            String name = segment;
            int bracket = segment.indexOf('[');
            List<Integer> indexes = new ArrayList<>();
            if (bracket >= 0) {
                name = segment.substring(0, bracket);
                for (String idx : segment.substring(bracket + 1).split("\\]\\[?")) {
                    if (idx.matches("[0-9]+")) {
                        indexes.add(Integer.parseInt(idx));
                    }
                }
            }
            if (!name.isEmpty()) {
                YamlNode child = current.child(name);
                if (child == null) {
                    return current;
                }
                current = child;
            }
            for (int index : indexes) {
                if (!(current.node instanceof SequenceNode seq) || index >= seq.getValue().size()) {
                    return current;
                }
                current = new YamlNode(seq.getValue().get(index), current.path + "[" + index + "]", current.line);
            }
        }
        return current;
    }

    private YamlNode child(String key) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                int keyLine = tuple.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(line);
                return new YamlNode(tuple.getValueNode(), path.isEmpty() ? key : path + "." + key, keyLine);
            }
        }
        return null;
    }

    private String kind() {
        if (isNull()) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "\"" + ((ScalarNode) node).getValue() + "\"";
    }
}
