package org.connectorsdk.cortexxdr;

import java.util.List;
import org.connectorsdk.api.TransformMap;

/**
 * The Cortex XDR transform maps, row for row as the connector spec's tables: one asset per
 * {@code get_endpoint} record, and, in the vulnerability map (active by default), the
 * endpoint's {@code cves[]} as its {@code finding[]}.
 *
 * <p>Converters: {@code trimEmptyToNull} on text, since Cortex XDR writes {@code ""} for
 * "unset" (e.g. {@code domain}); {@code toArray} where a field is an array in some replies and
 * a comma-joined string in others; {@code epochMillisToIso} for epoch milliseconds;
 * {@code severity} normalises CRITICAL/HIGH/MEDIUM/LOW to 5..2 while {@code sourceSeverity}
 * keeps the vendor's word.
 */
final class CortexXdrMaps {
    static final String ASSET_MAP = "Cortex XDR Asset Transform Map";
    static final String VULNERABILITY_MAP = "Cortex XDR Vulnerability Transform Map";

    private static final TransformMap ASSET = common(TransformMap.named(ASSET_MAP).activeByDefault(false), false)
            .build();

    private static final TransformMap VULNERABILITY = common(TransformMap.named(VULNERABILITY_MAP).activeByDefault(true),
            true)
            .required("cves[].name", "finding[].externalFindingId", "trimEmptyToNull")
            .optional("cves[].name", "finding[].findingType.vulnerability.cveId", "trimEmptyToNull")
            .optional("cves[].name", "finding[].name", "trimEmptyToNull")
            .optional("cves[].severity", "finding[].severity", "severity")
            .optional("cves[].severity", "finding[].sourceSeverity", "trimEmptyToNull")
            .optional("cves[].description", "finding[].description", "trimEmptyToNull")
            .optional("cves[].publication_date", "finding[].firstFoundOn", "epochMillisToIso")
            .optional("cves[].severity_score", "finding[].sourceRiskScore", "toNumber")
            .optional("cloud_provider", "asset.assetDetail.cloudInfo.provider", "trimEmptyToNull")
            .build();

    private CortexXdrMaps() {
    }

    /** The asset map: active when {@code dataToSync} is {@code assets}. */
    static TransformMap assetMap() {
        return ASSET;
    }

    /** The vulnerability map: active by default ({@code dataToSync} = {@code assets-and-findings}). */
    static TransformMap vulnerabilityMap() {
        return VULNERABILITY;
    }

    /** Both maps, asset map first. */
    static List<TransformMap> all() {
        return List.of(ASSET, VULNERABILITY);
    }

    /**
     * The rows both maps share; they differ only in the addresses: the asset map writes
     * {@code allIPs} as IPv4 addresses, the vulnerability map writes {@code allIPs} as
     * addresses of either family and {@code ip} as the IPv4 ones.
     */
    private static TransformMap.Builder common(TransformMap.Builder b, boolean vulnerability) {
        b.from("assets").to("asset")
                .required("endpoint_id", "externalAssetId")
                .required("endpoint_name", "hostName")
                .optional("operating_system", "operatingSystem.name", "trimEmptyToNull")
                .optional("os_version", "operatingSystem.version", "trimEmptyToNull")
                .optional("domain", "domain", "trimEmptyToNull")
                .optional("endpoint_type", "type", "trimEmptyToNull")
                .optional("first_seen", "firstFoundDate", "epochMillisToIso");
        if (vulnerability) {
            b.optional("allIPs", "networkInterfaces[].ipAddress", "toArray")
                    .optional("ip", "networkInterfaces[].ipv4Address", "toArray");
        } else {
            b.optional("allIPs", "networkInterfaces[].ipv4Address", "toArray");
        }
        return b.optional("ipv6", "networkInterfaces[].ipv6Address", "toArray")
                .optional("mac_address[]", "networkInterfaces[].macAddress", "trimEmptyToNull")
                .optional("tags.server_tags", "customAttributes.serverTags", "toArray")
                .optional("tags.endpoint_tags", "customAttributes.endPointTags", "toArray");
    }
}
