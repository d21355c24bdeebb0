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
                    "Invalid instance name " + echo(name) + ": use 1 to 100 letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit",
                    "Choose a name such as tenant-eu");
        }
        return name;
    }

    /** The longest part of a rejected name repeated in a message. */
    static final int ECHO_LENGTH = 60;

    /**
     * A rejected name as a message may repeat it: quoted, control characters escaped (an ESC
     * would otherwise drive the operator's terminal), and cut after {@value #ECHO_LENGTH}
     * characters with its length.
     */
    public static String echo(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < Math.min(name.length(), ECHO_LENGTH); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (name.length() > ECHO_LENGTH) {
            b.append("... (").append(name.length()).append(" characters)");
        }
        return b.toString();
    }
}
