package org.connectorsdk.runtime.transform;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.Converter;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;

/**
 * Compiles {@link TransformMap}s into {@link CompiledMap}s: paths parsed, converters resolved
 * and every target path checked against the target model once, when the map is loaded, so a
 * map with a typo fails before any record is read and records are not re-interpreted.
 *
 * <pre>{@code
 * CompiledMap compiled = TransformEngine.compile(connector.transformMaps().get(0));
 * TransformOutcome outcome = compiled.apply(vendorRecord);
 * outcome.record().ifPresent(sink::write);
 * outcome.rejections().forEach(log::warn);
 * }</pre>
 *
 * <h2>Path rules</h2>
 * <ul>
 *   <li>A path is dot-separated field names: {@code tags.server_tags}, {@code operatingSystem.name}.
 *   <li>{@code []} after a name addresses every element of an array; each side has at most one.
 *   <li>A target inside an array of objects ({@code finding[].name}) is filled by index: element
 *       {@code i} takes the {@code i}-th value of every row writing that array, so rows reading
 *       the same source array ({@code cves[].name}, {@code cves[].severity}) fill the same
 *       finding, and rows reading different arrays ({@code allIPs}, {@code ipv6},
 *       {@code mac_address[]}) are aligned by position. The target array is as long as the
 *       longest source array; a row whose array is shorter leaves its field out of the later
 *       elements; an element left without any field is not written.
 *   <li>A source path without {@code []} whose value is an array also fans out into a target
 *       array; a single value fills element 0. The converter sees what the source path
 *       addresses: each element after {@code []}, the whole value without it (so
 *       {@code toArray} can split a comma-joined string before it fans out).
 *   <li>A source path with {@code []} into a target without {@code []} collects the converted
 *       values into one array.
 *   <li>A present but empty source array gives an empty target array (the source said "none");
 *       absent sources leave the target out.
 * </ul>
 *
 * <h2>Converters</h2>
 * A row names a built-in converter ({@code epochMillisToIso}) or, when the map is compiled with
 * its connector ({@link #compile(TransformMap, Connector)}), one of that connector's own
 * {@link Converter}s as {@code <connector id>:<name>}. A built-in reports a value it cannot read
 * and leaves it out; a connector's converter that throws rejects the record, naming the row.
 *
 * <h2>Missing values</h2>
 * A missing value (absent, null, blank text, or an empty array for a single field) of an
 * optional row leaves its target field out: no {@code null}s. The same of a required row rejects
 * the record, with a reason naming the field and the
 * record's id (the value of the map's first required row). Inside an array, a missing required
 * value drops that element only; it is counted and reported, the record is kept.
 */
public final class TransformEngine {

    private TransformEngine() {
    }

    /**
     * Compiles {@code map} with the built-in converters alone.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the target kind has
     *                            no model, a path is malformed or not in the target model, a
     *                            converter name is unknown, two rows write one target, or a
     *                            field the model requires is not written by a required row
     */
    public static CompiledMap compile(TransformMap map) {
        return compile(map, null, Map.of());
    }

    /**
     * Compiles {@code map}, one of {@code connector}'s, with the built-in converters and the
     * connector's own ({@link Connector#converters()}, named {@code <connector id>:<name>}).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} as {@link #compile(TransformMap)},
     *                            and when the connector declares two converters of one name
     */
    public static CompiledMap compile(TransformMap map, Connector connector) {
        requireNonNull(connector, "connector is null");
        String id = connector.descriptor().id();
        return compile(map, id, ownConverters(id, connector.converters()));
    }

    /**
     * The converters a map of {@code connector} may name, sorted, each with what it does: the
     * built-in ones, then the connector's own as {@code <connector id>:<name>}.
     */
    public static Map<String, String> converters(Connector connector) {
        Map<String, String> out = new LinkedHashMap<>(Converters.descriptions());
        String id = connector.descriptor().id();
        connector.converters().stream().sorted(Comparator.comparing(Converter::name))
                .forEach(c -> out.put(id + ":" + c.name(), c.description()));
        return out;
    }

    private static CompiledMap compile(TransformMap map, String connectorId, Map<String, Converters.Converter> own) {
        requireNonNull(map, "map is null");
        TargetModel model = TargetModel.forKind(map.targetKind()).orElseThrow(() -> new ConnectorException(
                ErrorKind.CONFIGURATION,
                "Transform map '" + map.name() + "' targets '" + map.targetKind() + "', which has no target model"
                        + " (known: " + String.join(", ", TargetModel.KINDS) + ")",
                "Set the map's target kind to one of " + String.join(", ", TargetModel.KINDS)));

        List<CompiledMap.Step> steps = new ArrayList<>();
        Map<String, List<CompiledMap.ElementRow>> groups = new LinkedHashMap<>();
        Map<String, List<TargetModel.Segment>> groupPrefixes = new LinkedHashMap<>();
        Set<String> targets = new HashSet<>();
        Set<String> requiredTopLevel = new HashSet<>();
        CompiledMap.ScalarRow idRow = null;
        Map<String, Set<String>> children = new HashMap<>();
        Map<CompiledMap.ElementRow, Integer> rowIndex = new IdentityHashMap<>();

        List<FieldMapping> rows = map.mappings();
        for (int n = 0; n < rows.size(); n++) {
            FieldMapping row = rows.get(n);
            String where = "Transform map '" + map.name() + "', row " + (n + 1) + " (" + row.sourcePath() + " -> "
                    + row.targetPath() + ")";
            List<TargetModel.Segment> source = parse(row.sourcePath(), "source", where);
            List<TargetModel.Segment> target = parse(row.targetPath(), "target", where);
            Converters.Converter converter = row.converter().isEmpty() ? null
                    : converter(row.converter().get(), where, connectorId, own);
            Optional<String> problem = model.check(target);
            if (problem.isPresent()) {
                throw configError(where + ": target " + problem.get(), "Map to a field of the " + model.kind()
                        + " model " + model.version() + ": " + String.join(", ", model.paths()));
            }
            if (!targets.add(row.targetPath())) {
                throw configError(where + ": target '" + row.targetPath() + "' is already written by another row",
                        "Keep one row per target field");
            }

            noteChildren(children, target);

            int srcArray = arrayIndex(source);
            String[] srcBefore = names(source, 0, srcArray < 0 ? source.size() : srcArray + 1);
            String[] srcAfter = srcArray < 0 ? new String[0] : names(source, srcArray + 1, source.size());
            boolean explicit = srcArray >= 0;
            int tgtArray = arrayIndex(target);
            if (tgtArray < 0) {
                CompiledMap.ScalarRow scalar = new CompiledMap.ScalarRow(row.sourcePath(), row.targetPath(), srcBefore,
                        srcAfter, explicit, converter, row.required(), names(target, 0, target.size()), null);
                steps.add(scalar);
                if (row.required()) {
                    requiredTopLevel.add(target.get(0).name());
                    if (idRow == null && !explicit) {
                        idRow = scalar;
                    }
                }
            } else {
                List<TargetModel.Segment> prefix = target.subList(0, tgtArray + 1);
                String key = String.join(".", names(target, 0, tgtArray + 1));
                CompiledMap.ElementRow element = new CompiledMap.ElementRow(row.sourcePath(), row.targetPath(),
                        srcBefore, srcAfter, explicit, converter, row.required(),
                        names(target, tgtArray + 1, target.size()), null, 0, 0, 0);
                rowIndex.put(element, n);
                List<CompiledMap.ElementRow> group = groups.get(key);
                if (group == null) {
                    group = new ArrayList<>();
                    groups.put(key, group);
                    groupPrefixes.put(key, List.copyOf(prefix));
                    // the group's step takes the position of its first row, so output keys keep table order
                    steps.add(new CompiledMap.GroupPlaceholder(key));
                }
                group.add(element);
            }
        }

        for (String field : model.requiredFields(List.of())) {
            if (!requiredTopLevel.contains(field)) {
                throw configError("Transform map '" + map.name() + "' has no required row writing '" + field
                        + "', which the " + model.kind() + " model requires",
                        "Add a row with target '" + field + "' and required true");
            }
        }
        for (Map.Entry<String, List<CompiledMap.ElementRow>> g : groups.entrySet()) {
            for (String field : model.requiredFields(groupPrefixes.get(g.getKey()))) {
                boolean covered = g.getValue().stream().anyMatch(r -> r.required() && r.target()[0].equals(field));
                if (!covered) {
                    throw configError("Transform map '" + map.name() + "' writes '" + g.getKey()
                            + "[]' without a required row for '" + g.getKey() + "[]." + field
                            + "', which the " + model.kind() + " model requires of every element",
                            "Add a row with target '" + g.getKey() + "[]." + field + "' and required true");
                }
            }
        }

        // every map the engine makes is sized for the keys the rows write into it
        List<CompiledMap.Step> resolved = new ArrayList<>(steps.size());
        for (CompiledMap.Step step : steps) {
            if (step instanceof CompiledMap.GroupPlaceholder p) {
                String[] prefix = names(groupPrefixes.get(p.key()), 0, groupPrefixes.get(p.key()).size());
                String element = String.join(".", prefix) + "[]";
                List<CompiledMap.ElementRow> rowsOfGroup = new ArrayList<>();
                // rows with the same source share its read, and with the same converter its conversion
                Map<String, Integer> listSlots = new HashMap<>();
                Map<String, Integer> rawSlots = new HashMap<>();
                Map<String, Integer> valueSlots = new HashMap<>();
                List<Integer> listRows = new ArrayList<>();
                List<CompiledMap.ElementRow> original = groups.get(p.key());
                for (int n = 0; n < original.size(); n++) {
                    CompiledMap.ElementRow r = original.get(n);
                    String converterName = rows.get(rowIndex.get(r)).converter().orElse("");
                    String listKey = String.join(".", r.source()) + (r.explicitArray() ? "[]" : "|" + converterName);
                    int listSlot = listSlots.computeIfAbsent(listKey, k -> listSlots.size());
                    if (listSlot == listRows.size()) {
                        listRows.add(n);
                    }
                    String rawKey = listSlot + "|" + String.join(".", r.sourceAfter());
                    int rawSlot = rawSlots.computeIfAbsent(rawKey, k -> rawSlots.size());
                    String valueKey = rawSlot + "|" + (r.explicitArray() ? converterName : "");
                    int valueSlot = valueSlots.computeIfAbsent(valueKey, k -> valueSlots.size());
                    rowsOfGroup.add(new CompiledMap.ElementRow(r.sourceText(), r.targetText(), r.source(),
                            r.sourceAfter(), r.explicitArray(), r.converter(), r.required(), r.target(),
                            capacities(children, element, r.target()), listSlot, rawSlot, valueSlot));
                }
                resolved.add(new CompiledMap.ArrayGroup(p.key(), prefix, capacities(children, "", prefix),
                        capacity(children.getOrDefault(element, Set.of()).size()),
                        rowsOfGroup.toArray(new CompiledMap.ElementRow[0]),
                        listRows.stream().mapToInt(Integer::intValue).toArray(), rawSlots.size(), valueSlots.size()));
            } else {
                CompiledMap.ScalarRow r = (CompiledMap.ScalarRow) step;
                resolved.add(new CompiledMap.ScalarRow(r.sourceText(), r.targetText(), r.source(), r.sourceAfter(),
                        r.explicitArray(), r.converter(), r.required(), r.target(), capacities(children, "", r.target())));
            }
        }
        int rootKeys = children.getOrDefault("", Set.of()).size() + 1; // + _meta
        return new CompiledMap(map, model.kind(), model.version(), resolved, idRow, capacity(rootKeys));
    }

    /** The version of the target model {@code kind}, e.g. {@code 1.0.0}. */
    public static Optional<String> modelVersion(String kind) {
        return TargetModel.forKind(kind).map(TargetModel::version);
    }

    /** Every path a map may write in the target model {@code kind}; empty for an unknown kind. */
    public static List<String> targetPaths(String kind) {
        return TargetModel.forKind(kind).map(TargetModel::paths).orElse(List.of());
    }

    /** The converter {@code name} of a row, built-in or the map's connector's own. */
    private static Converters.Converter converter(String name, String where, String connectorId,
            Map<String, Converters.Converter> own) {
        Optional<Converters.Converter> found = Converters.named(name).or(() -> Optional.ofNullable(own.get(name)));
        if (found.isPresent()) {
            return found.get();
        }
        List<String> known = new ArrayList<>(Converters.names());
        known.addAll(new TreeMap<>(own).keySet());
        int colon = name.indexOf(':');
        if (colon > 0 && !name.substring(0, colon).equals(connectorId)) {
            String owner = name.substring(0, colon);
            throw configError(where + ": converter '" + name + "' belongs to connector '" + owner + "', and a map"
                    + " sees only the built-in converters and its own connector's ("
                    + (connectorId == null ? "this map was compiled without its connector" : "'" + connectorId + "'")
                    + "; known: " + String.join(", ", known) + ")",
                    connectorId == null ? "Compile the map with its connector: TransformEngine.compile(map, connector)"
                            : "Declare the converter in Connector.converters() of '" + connectorId + "' and name it "
                                    + connectorId + ":" + name.substring(colon + 1));
        }
        throw configError(where + ": unknown converter '" + name + "' (known: " + String.join(", ", known) + ")",
                "Use one of the known converter names, or leave the row without a converter");
    }

    /** {@code converters} keyed {@code <connector id>:<name>}, each rejecting the record when it throws. */
    private static Map<String, Converters.Converter> ownConverters(String connectorId, List<Converter> converters) {
        Map<String, Converters.Converter> out = new HashMap<>();
        for (Converter c : converters) {
            String ref = connectorId + ":" + c.name();
            Converter.Conversion conversion = c.conversion();
            Converters.Converter guarded = (value, problems) -> {
                try {
                    return conversion.convert(value);
                } catch (RuntimeException e) {
                    problems.fail("converter '" + ref + "' failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                    return null;
                }
            };
            if (out.put(ref, guarded) != null) {
                throw configError("Connector '" + connectorId + "' declares two converters named '" + c.name() + "'",
                        "Give each converter in Connector.converters() a name of its own");
            }
        }
        return out;
    }

    /** Records, per object path ({@code ""}, {@code finding[]}, {@code finding[].findingType}), the keys written into it. */
    private static void noteChildren(Map<String, Set<String>> children, List<TargetModel.Segment> target) {
        StringBuilder path = new StringBuilder();
        for (TargetModel.Segment seg : target) {
            children.computeIfAbsent(path.toString(), k -> new HashSet<>()).add(seg.name());
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(seg.name());
            if (seg.array()) {
                path.append("[]");
            }
        }
    }

    /** For each map {@code write} may create along {@code path} below {@code base}, its capacity. */
    private static int[] capacities(Map<String, Set<String>> children, String base, String[] path) {
        int[] caps = new int[path.length];
        StringBuilder at = new StringBuilder(base);
        for (int i = 0; i < path.length; i++) {
            if (at.length() > 0) {
                at.append('.');
            }
            at.append(path[i]);
            caps[i] = capacity(children.getOrDefault(at.toString(), Set.of()).size());
        }
        return caps;
    }

    /** The initial capacity that holds {@code keys} entries without resizing. */
    private static int capacity(int keys) {
        return (int) (keys / 0.75f) + 1;
    }

    static List<TargetModel.Segment> parse(String path, String side, String where) {
        List<TargetModel.Segment> segments = new ArrayList<>();
        int arrays = 0;
        for (String part : path.split("\\.", -1)) {
            boolean array = part.endsWith("[]");
            String name = array ? part.substring(0, part.length() - 2) : part;
            if (name.isEmpty() || name.indexOf('[') >= 0 || name.indexOf(']') >= 0 || !name.strip().equals(name)) {
                throw configError(where + ": malformed " + side + " path '" + path + "' at '" + part + "'",
                        "Write field names separated by dots, with [] after an array's name, e.g. cves[].name");
            }
            if (array) {
                arrays++;
            }
            segments.add(new TargetModel.Segment(name, array));
        }
        if (arrays > 1) {
            throw configError(where + ": " + side + " path '" + path + "' has " + arrays + " [] (at most one is supported)",
                    "Address one array level per path");
        }
        return List.copyOf(segments);
    }

    private static int arrayIndex(List<TargetModel.Segment> path) {
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i).array()) {
                return i;
            }
        }
        return -1;
    }

    private static String[] names(List<TargetModel.Segment> path, int from, int to) {
        String[] out = new String[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = path.get(i).name();
        }
        return out;
    }

    static ConnectorException configError(String message, String remediation) {
        return new ConnectorException(ErrorKind.CONFIGURATION, message, remediation);
    }
}
