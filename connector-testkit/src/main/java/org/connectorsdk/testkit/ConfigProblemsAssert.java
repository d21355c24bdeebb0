package org.connectorsdk.testkit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.ConfigProblem;

/** Assertions on the problems {@link org.connectorsdk.api.ConfigSpec#validate} found, field by field. */
public final class ConfigProblemsAssert extends AbstractAssert<ConfigProblemsAssert, List<ConfigProblem>> {

    ConfigProblemsAssert(List<ConfigProblem> actual) {
        super(actual, ConfigProblemsAssert.class);
    }

    /** There is no problem. */
    public ConfigProblemsAssert hasNoProblems() {
        isNotNull();
        if (!actual.isEmpty()) {
            failWithMessage("%s", "Expected no config problems but found " + actual);
        }
        return this;
    }

    /** Some problem names {@code field}. */
    public ConfigProblemsAssert hasProblemFor(String field) {
        isNotNull();
        if (actual.stream().noneMatch(p -> p.field().equals(field))) {
            failWithMessage("%s", "Expected a config problem for field '" + field + "' but found "
                    + (actual.isEmpty() ? "none" : actual));
        }
        return this;
    }

    /** Some problem names {@code field} with a message containing {@code text}. */
    public ConfigProblemsAssert hasProblemFor(String field, String text) {
        hasProblemFor(field);
        if (actual.stream().noneMatch(p -> p.field().equals(field) && p.message().contains(text))) {
            failWithMessage("%s", "Expected the problem for field '" + field + "' to contain \"" + text
                    + "\" but found " + actual.stream().filter(p -> p.field().equals(field)).toList());
        }
        return this;
    }

    /** The problems name exactly these fields. */
    public ConfigProblemsAssert hasProblemsForExactly(String... fields) {
        isNotNull();
        Set<String> found = new TreeSet<>(actual.stream().map(ConfigProblem::field).toList());
        Set<String> want = new TreeSet<>(List.of(fields));
        if (!found.equals(want)) {
            failWithMessage("%s", "Expected config problems for exactly " + want + " but found problems for "
                    + found + ": " + actual);
        }
        return this;
    }
}
