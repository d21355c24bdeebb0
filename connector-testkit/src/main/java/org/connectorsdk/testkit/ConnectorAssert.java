package org.connectorsdk.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.StreamSpec;
import org.connectorsdk.api.TransformMap;

/**
 * Assertions on a whole {@link Connector}: its descriptor, config spec, checks, streams and
 * maps. Get one from {@link ConnectorAssertions#assertThat(Connector)}.
 */
public final class ConnectorAssert extends AbstractAssert<ConnectorAssert, Connector> {

    ConnectorAssert(Connector actual) {
        super(actual, ConnectorAssert.class);
    }

    /** Assertions on the descriptor. */
    public DescriptorAssert descriptor() {
        isNotNull();
        return new DescriptorAssert(actual.descriptor());
    }

    /** Assertions on the config spec. */
    public ConfigSpecAssert configSpec() {
        isNotNull();
        return new ConfigSpecAssert(actual.configSpec());
    }

    /** Assertions on the transform map named {@code name}. */
    public TransformMapAssert transformMap(String name) {
        isNotNull();
        List<TransformMap> maps = actual.transformMaps();
        return maps.stream().filter(m -> m.name().equals(name)).findFirst()
                .map(map -> new TransformMapAssert(map, actual))
                .orElseThrow(() -> failure("%s", "Expected connector '" + id() + "' to ship a transform map named \""
                        + name + "\" but found " + maps.stream().map(m -> "\"" + m.name() + "\"").toList()));
    }

    /**
     * A complete connector: a complete descriptor, at least one config field, one connection
     * check and one stream; every transform map reads a declared stream.
     */
    public ConnectorAssert isComplete() {
        isNotNull();
        descriptor().hasValidId().isComplete();
        List<String> problems = new ArrayList<>();
        if (actual.configSpec().fields().isEmpty()) {
            problems.add("it has no config fields");
        }
        if (actual.connectionChecks().isEmpty()) {
            problems.add("it has no connection checks");
        }
        if (actual.streams().isEmpty()) {
            problems.add("it has no streams");
        }
        List<String> streams = actual.streams().stream().map(StreamSpec::name).toList();
        for (TransformMap map : actual.transformMaps()) {
            if (!streams.contains(map.sourceStream())) {
                problems.add("transform map \"" + map.name() + "\" reads stream '" + map.sourceStream()
                        + "', which is not among its streams " + streams);
            }
        }
        if (!problems.isEmpty()) {
            failWithMessage("%s", "Expected connector '" + id() + "' to be complete, but " + String.join("; ", problems));
        }
        return this;
    }

    /** Its checks are in the order of {@link CheckKind}, each kind at most once. */
    public ConnectorAssert hasChecksInOrder() {
        isNotNull();
        List<CheckKind> kinds = actual.connectionChecks().stream().map(ConnectionCheck::kind).toList();
        for (int i = 1; i < kinds.size(); i++) {
            if (kinds.get(i).ordinal() <= kinds.get(i - 1).ordinal()) {
                failWithMessage("%s", "Expected connector '" + id() + "' to declare its checks in the order "
                        + Arrays.toString(CheckKind.values()) + ", each once, but found " + kinds);
            }
        }
        return this;
    }

    /** Its checks are exactly these kinds, in this order. */
    public ConnectorAssert hasChecks(CheckKind... expected) {
        isNotNull();
        List<CheckKind> kinds = actual.connectionChecks().stream().map(ConnectionCheck::kind).toList();
        if (!kinds.equals(List.of(expected))) {
            failWithMessage("%s", "Expected connector '" + id() + "' to declare the checks " + List.of(expected)
                    + " but found " + kinds);
        }
        return this;
    }

    /** Its streams are exactly these names, in this order. */
    public ConnectorAssert hasStreams(String... expected) {
        isNotNull();
        List<String> names = actual.streams().stream().map(StreamSpec::name).toList();
        if (!names.equals(List.of(expected))) {
            failWithMessage("%s", "Expected connector '" + id() + "' to declare the streams " + List.of(expected)
                    + " but found " + names);
        }
        return this;
    }

    private String id() {
        try {
            return actual.descriptor().id();
        } catch (RuntimeException e) {
            return actual.getClass().getName();
        }
    }
}
