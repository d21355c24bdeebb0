package org.connectorsdk.testkit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;

/**
 * Assertions on a {@link ConfigSpec}: which fields are required and secret, and what
 * {@link ConfigSpec#validate} says about a raw config. Get one from
 * {@link ConnectorAssertions#assertThat(ConfigSpec)}.
 */
public final class ConfigSpecAssert extends AbstractAssert<ConfigSpecAssert, ConfigSpec> {

    ConfigSpecAssert(ConfigSpec actual) {
        super(actual, ConfigSpecAssert.class);
    }

    /** It has a field named {@code name}. */
    public ConfigSpecAssert hasField(String name) {
        isNotNull();
        if (actual.field(name).isEmpty()) {
            failWithMessage("%s", "Expected a config field '" + name + "' but found only " + names(actual.fields()));
        }
        return this;
    }

    /** Exactly these fields are required (a required field with a default counts as required). */
    public ConfigSpecAssert hasRequiredFields(String... expected) {
        isNotNull();
        Set<String> found = new TreeSet<>(names(actual.fields().stream().filter(ConfigField::required).toList()));
        Set<String> want = new TreeSet<>(List.of(expected));
        if (!found.equals(want)) {
            failWithMessage("%s", "Expected the required config fields " + want + " but found " + found);
        }
        return this;
    }

    /** Exactly these fields are secrets (masked everywhere). */
    public ConfigSpecAssert hasSecretFields(String... expected) {
        isNotNull();
        Set<String> found = new TreeSet<>(actual.secretFieldNames());
        Set<String> want = new TreeSet<>(List.of(expected));
        if (!found.equals(want)) {
            failWithMessage("%s", "Expected the secret config fields " + want + " but found " + found);
        }
        return this;
    }

    /** {@code raw} validates without a problem. */
    public ConfigSpecAssert accepts(Map<String, ?> raw) {
        isNotNull();
        var problems = actual.validate(raw);
        if (!problems.isEmpty()) {
            failWithMessage("%s", "Expected the config to be valid but found " + problems.size() + " problem(s): "
                    + problems);
        }
        return this;
    }

    /** What validation says about {@code raw}, to assert on problem by field. */
    public ConfigProblemsAssert validating(Map<String, ?> raw) {
        isNotNull();
        return new ConfigProblemsAssert(actual.validate(raw));
    }

    private static List<String> names(List<ConfigField> fields) {
        return fields.stream().map(ConfigField::name).toList();
    }
}
