package org.connectorsdk.cortexxdr;

import org.connectorsdk.api.TransformMap;

/**
 * The "Cortex XDR Software Transform Map": each host inventory row of the {@code software}
 * stream (one installed application on one endpoint) to a {@code software} record. Active when
 * the instance selects installed software ({@code software = true}).
 *
 * <p>{@code externalAssetId} is the endpoint's id, the same value the asset map writes, so a
 * platform joins applications to their asset; {@code installation_date} comes as epoch
 * milliseconds.
 */
final class CortexXdrSoftwareMap {
    static final String NAME = "Cortex XDR Software Transform Map";

    private static final TransformMap MAP = TransformMap.named(NAME).activeByDefault(false)
            .from(CortexXdrConnector.SOFTWARE.name()).to("software")
            .required("endpoint_id", "externalAssetId", "trimEmptyToNull")
            .required("application_name", "name", "trimEmptyToNull")
            .optional("endpoint_name", "hostName", "trimEmptyToNull")
            .optional("vendor", "vendor", "trimEmptyToNull")
            .optional("version", "version", "trimEmptyToNull")
            .optional("installation_date", "installedDate", "epochMillisToIso")
            .build();

    private CortexXdrSoftwareMap() {
    }

    static TransformMap map() {
        return MAP;
    }
}
