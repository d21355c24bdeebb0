package org.connectorsdk.api.host;

/**
 * What one commit changed in a sink that keeps the current state of a stream (a database), as
 * the sink counted it: each record written is {@code added}, {@code updated} or
 * {@code unchanged}; {@code gone} counts records the sink held that a complete snapshot no longer
 * reported. For findings, {@code fixed} counts findings a reported asset no longer has and
 * {@code reopened} fixed ones reported again.
 *
 * @param added     records the sink did not hold before
 * @param updated   records whose content changed
 * @param unchanged records written again with the same content
 * @param gone      records marked gone by this commit
 * @param fixed     findings marked fixed by this commit
 * @param reopened  fixed findings open again
 * @since 1.1
 */
public record StreamChanges(long added, long updated, long unchanged, long gone, long fixed, long reopened) {
    public StreamChanges {
        if (added < 0 || updated < 0 || unchanged < 0 || gone < 0 || fixed < 0 || reopened < 0) {
            throw new IllegalArgumentException("Change counts are zero or more; got added=" + added + ", updated="
                    + updated + ", unchanged=" + unchanged + ", gone=" + gone + ", fixed=" + fixed + ", reopened="
                    + reopened);
        }
    }
}
