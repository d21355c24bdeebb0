package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rejected declaration says what was given and the rule it broke. */
class ValidationMessagesTest {

    @Test
    void invalidConfigFieldNameGivesThePattern() {
        assertThatThrownBy(() -> ConfigField.string("api-key").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid config field name: 'api-key': a field name starts with a letter and has only "
                        + "letters, digits and '_' (pattern [a-zA-Z][a-zA-Z0-9_]*)");
    }

    @Test
    void invalidStreamNameGivesThePattern() {
        assertThatThrownBy(() -> new StreamSpec("Assets", "all endpoints", List.of("id"), Optional.empty(),
                Set.of(SyncMode.FULL), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid stream name: 'Assets': a stream name starts with a lower-case letter and has "
                        + "only lower-case letters, digits, '_' and '-' (pattern [a-z][a-z0-9_-]*)");
    }

    @Test
    void blankSourcePathNamesTheMapAndTheRow() {
        assertThatThrownBy(() -> TransformMap.named("Acme Asset Transform Map").from("assets").to("asset")
                .required("id", "externalAssetId")
                .optional(" ", "hostName")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Transform map 'Acme Asset Transform Map', row 2: sourcePath is blank in the row "
                        + "-> 'hostName'; give the dot-separated path of a field, e.g. cves[].name");
    }

    @Test
    void blankTargetPathNamesTheSource() {
        assertThatThrownBy(() -> new FieldMapping("hostname", "", false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetPath is blank in the row 'hostname' ->; give the dot-separated path of a field, "
                        + "e.g. cves[].name");
    }
}
