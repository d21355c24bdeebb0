package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import java.util.Map;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.Secret;
import org.junit.jupiter.api.Test;

/** Any JSON written with Jackson, the runtime's JSON library, masks secrets. */
class SecretJsonTest {
    private static final String VALUE = "s3cr3t-key-value";

    @Test
    void plainObjectMapperWritesTheMask() throws Exception {
        ObjectMapper mapper = new ObjectMapper();

        assertThat(mapper.writeValueAsString(Secret.of("apiKey", VALUE))).isEqualTo("\"[hidden]\"");
        assertThat(mapper.writeValueAsString(Map.of("apiKey", Secret.of("apiKey", VALUE))))
                .isEqualTo("{\"apiKey\":\"[hidden]\"}");
    }

    @Test
    void fieldVisibilityDoesNotRevealTheValue() throws Exception {
        ObjectMapper mapper = new ObjectMapper().setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.ANY);

        assertThat(mapper.writeValueAsString(Secret.of("apiKey", VALUE))).doesNotContain(VALUE);
    }

    @Test
    void boundConfigValuesAreWrittenMasked() throws Exception {
        ConnectorConfig config = ConfigSpec.of(
                        ConfigField.string("name").required().build(),
                        ConfigField.secret("apiKey").required().build())
                .bind(Map.of("name", "tenant-eu", "apiKey", VALUE));

        String json = new ObjectMapper().writeValueAsString(config.values());

        assertThat(json).isEqualTo("{\"name\":\"tenant-eu\",\"apiKey\":\"[hidden]\"}");
        assertThat(new ObjectMapper().writeValueAsString(config.storableValues()))
                .isEqualTo("{\"name\":\"tenant-eu\"}");
    }

    @Test
    void aConnectorConfigItselfIsNotABeanJacksonCouldDump() {
        ConnectorConfig config = ConfigSpec.of(ConfigField.secret("apiKey").required().build())
                .bind(Map.of("apiKey", VALUE));

        // no getters: Jackson refuses rather than guessing; write values() or storableValues() instead
        assertThatThrownBy(() -> new ObjectMapper().writeValueAsString(config))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("No serializer found for class org.connectorsdk.api.ConnectorConfig")
                .hasMessageNotContaining(VALUE);
    }
}
