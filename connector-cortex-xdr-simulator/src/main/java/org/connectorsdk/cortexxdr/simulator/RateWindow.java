package org.connectorsdk.cortexxdr.simulator;

import java.util.Locale;

/** How the simulated tenant counts requests against its per-second limit. */
public enum RateWindow {
    /**
     * At most the limit in any second, wherever it starts: the strictest reading, where two
     * requests exactly one interval apart at the limit can already be one too many.
     */
    SLIDING,
    /** At most the limit in each calendar second of the simulator's clock; a new second starts afresh. */
    FIXED;

    /**
     * The window named {@code sliding} or {@code fixed}, as in a {@code --rate-window} option.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static RateWindow parse(String name) {
        for (RateWindow window : values()) {
            if (window.name().equalsIgnoreCase(name)) {
                return window;
            }
        }
        throw new IllegalArgumentException("Unknown rate window '" + name + "'; use sliding or fixed");
    }

    /** The option value: {@code sliding} or {@code fixed}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
