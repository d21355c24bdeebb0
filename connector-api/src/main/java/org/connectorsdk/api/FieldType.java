package org.connectorsdk.api;

/** The type of a {@link ConfigField}; decides validation, binding and the setup form widget. */
public enum FieldType {
    /** Free text, optionally limited by length and pattern. */
    STRING,
    /** An absolute {@code https://} URL without user info, query or fragment. */
    URL,
    /** A credential: masked everywhere, given inline or as {@code env:NAME} / {@code file:PATH}. */
    SECRET,
    /** A whole number, optionally within a range; numeric strings are accepted. */
    INTEGER,
    /** One of {@link ConfigField#allowedValues()}. */
    ENUM,
    /** A list whose items are each one of {@link ConfigField#allowedValues()}. */
    ENUM_LIST,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** An ISO-8601 duration such as {@code PT5M}. */
    DURATION,
    /** A PEM certificate, inline or as {@code file:PATH} / {@code env:NAME}. */
    PEM
}
