package org.connectorsdk.cortexxdr.simulator;

/** How the simulator says a path is not licensed, both seen in the field. */
public enum LicenceFailure {
    /** 402 with the error envelope. */
    PAYMENT_REQUIRED,
    /** 500 with the error envelope whose {@code err_extra} names the missing licence / Host Insights add-on. */
    SERVER_ERROR
}
