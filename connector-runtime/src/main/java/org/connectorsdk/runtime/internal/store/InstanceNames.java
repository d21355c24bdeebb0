package org.connectorsdk.runtime.internal.store;

import java.util.regex.Pattern;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/** Instance names become directory and file names in the sink and the state store, so they are checked. */
public final class InstanceNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** The longest description an instance may have. */
    public static final int MAX_DESCRIPTION = 180;

    private InstanceNames() {
    }

    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Invalid instance name '" + name + "': use 1 to 100 letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit",
                    "Choose a name such as tenant-eu");
        }
        return name;
    }
}
