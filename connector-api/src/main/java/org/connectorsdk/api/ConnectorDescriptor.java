package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a connector is: the "connector details" a platform shows before setup.
 *
 * @param id             stable identifier, {@code [a-z][a-z0-9-]*}, e.g. {@code cortex-xdr}
 * @param vendor         e.g. "Palo Alto Networks"
 * @param product        e.g. "Cortex XDR"
 * @param category       e.g. "Endpoint Security"
 * @param version        the connector's version, e.g. "1.0.0"
 * @param assetTypes     e.g. "Host assets (compute)"
 * @param integrationType e.g. "REST API"
 * @param direction      e.g. "Unidirectional (Cortex XDR to platform)"
 * @param capabilities   what the connector supports beyond a full read of its streams
 */
public record ConnectorDescriptor(
        String id,
        String vendor,
        String product,
        String category,
        String version,
        List<String> assetTypes,
        String integrationType,
        String direction,
        Set<Capability> capabilities) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    public ConnectorDescriptor {
        requireNonNull(id, "id is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Invalid connector id: '" + id + "' (expected [a-z][a-z0-9-]*)");
        }
        requireNonBlank(vendor, "vendor");
        requireNonBlank(product, "product");
        requireNonBlank(category, "category");
        requireNonBlank(version, "version");
        assetTypes = List.copyOf(requireNonNull(assetTypes, "assetTypes is null"));
        requireNonBlank(integrationType, "integrationType");
        requireNonBlank(direction, "direction");
        capabilities = Set.copyOf(requireNonNull(capabilities, "capabilities is null"));
    }

    /** Whether the connector declares {@code capability}. */
    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    private static void requireNonBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
