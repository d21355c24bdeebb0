package org.connectorsdk.cortexxdr;

import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plugin's one JSON mapper, configured once and shared (an {@code ObjectMapper} is
 * thread-safe once configured). Floats are read as {@code BigDecimal}, so a score keeps the
 * digits the vendor sent, in endpoint, event and XQL records alike.
 */
final class CortexXdrJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A JSON object as the plain Java map a record is. */
    static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };

    private CortexXdrJson() {
    }
}
