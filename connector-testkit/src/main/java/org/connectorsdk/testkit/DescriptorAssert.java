package org.connectorsdk.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.Capability;
import org.connectorsdk.api.ConnectorDescriptor;

/** Assertions on a {@link ConnectorDescriptor}; get one from {@link ConnectorAssertions#assertThat(ConnectorDescriptor)}. */
public final class DescriptorAssert extends AbstractAssert<DescriptorAssert, ConnectorDescriptor> {
    private static final String ID_PATTERN = "[a-z][a-z0-9-]*";

    DescriptorAssert(ConnectorDescriptor actual) {
        super(actual, DescriptorAssert.class);
    }

    /** The id is {@code expected}. */
    public DescriptorAssert hasId(String expected) {
        isNotNull();
        if (!actual.id().equals(expected)) {
            failWithMessage("%s", "Expected connector id <" + expected + "> but found <" + actual.id() + ">");
        }
        return this;
    }

    /** The id matches {@code [a-z][a-z0-9-]*}. */
    public DescriptorAssert hasValidId() {
        isNotNull();
        if (!actual.id().matches(ID_PATTERN)) {
            failWithMessage("%s", "Expected a connector id matching " + ID_PATTERN + " but found <" + actual.id() + ">");
        }
        return this;
    }

    /** Every descriptive field is set: vendor, product, category, version, asset types, integration type, direction. */
    public DescriptorAssert isComplete() {
        isNotNull();
        List<String> missing = new ArrayList<>();
        blank("vendor", actual.vendor(), missing);
        blank("product", actual.product(), missing);
        blank("category", actual.category(), missing);
        blank("version", actual.version(), missing);
        blank("integrationType", actual.integrationType(), missing);
        blank("direction", actual.direction(), missing);
        if (actual.assetTypes().isEmpty() || actual.assetTypes().stream().anyMatch(t -> t == null || t.isBlank())) {
            missing.add("assetTypes (found " + actual.assetTypes() + ")");
        }
        if (!actual.version().isBlank() && !actual.version().matches("\\d+\\.\\d+\\.\\d+([-+].*)?")) {
            missing.add("version as MAJOR.MINOR.PATCH (found \"" + actual.version() + "\")");
        }
        if (!missing.isEmpty()) {
            failWithMessage("%s", "Expected connector '" + actual.id() + "' to have a complete descriptor, but these are"
                    + " missing or blank: " + String.join(", ", missing) + ". Found " + actual);
        }
        return this;
    }

    private static void blank(String name, String value, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }

    /** It declares every capability in {@code expected} (and perhaps others). */
    public DescriptorAssert declares(Capability... expected) {
        isNotNull();
        Set<Capability> absent = new TreeSet<>(Arrays.asList(expected));
        absent.removeAll(actual.capabilities());
        if (!absent.isEmpty()) {
            failWithMessage("%s", "Expected connector '" + actual.id() + "' to declare " + absent
                    + " but it declares only " + new TreeSet<>(actual.capabilities()));
        }
        return this;
    }

    /** It declares none of {@code unexpected}. */
    public DescriptorAssert doesNotDeclare(Capability... unexpected) {
        isNotNull();
        Set<Capability> present = new TreeSet<>(Arrays.asList(unexpected));
        present.retainAll(actual.capabilities());
        if (!present.isEmpty()) {
            failWithMessage("%s", "Expected connector '" + actual.id() + "' not to declare " + present
                    + " but it declares " + new TreeSet<>(actual.capabilities()));
        }
        return this;
    }

    /** It declares exactly {@code expected}. */
    public DescriptorAssert declaresExactly(Capability... expected) {
        isNotNull();
        Set<Capability> want = new TreeSet<>(Arrays.asList(expected));
        if (!want.equals(new TreeSet<>(actual.capabilities()))) {
            failWithMessage("%s", "Expected connector '" + actual.id() + "' to declare exactly " + want
                    + " but it declares " + new TreeSet<>(actual.capabilities()));
        }
        return this;
    }
}
