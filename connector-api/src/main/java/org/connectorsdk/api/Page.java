package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The output of one page step.
 *
 * @param records    the vendor records, immutable trees of plain Java values (maps, lists,
 *                   strings, numbers, booleans, nulls)
 * @param next       the checkpoint to resume after this page
 * @param done       whether the stream (partition) has no more pages
 * @param totalCount the source's own count of records, when it gives one (for progress)
 */
public record Page(List<Map<String, Object>> records, Checkpoint next, boolean done, OptionalLong totalCount) {
    public Page {
        records = List.copyOf(requireNonNull(records, "records is null"));
        requireNonNull(next, "next is null");
        requireNonNull(totalCount, "totalCount is null");
    }

    /** The last page of a stream. */
    public static Page last(List<Map<String, Object>> records, Checkpoint next) {
        return new Page(records, next, true, OptionalLong.empty());
    }

    /** The last page of a stream, for cursor paging: nothing to resume from. */
    public static Page last(List<Map<String, Object>> records) {
        return last(records, Checkpoint.START);
    }

    /**
     * A page with more to come, for cursor paging without a total count: the runtime asks for
     * the page at {@code next} (e.g. {@code Checkpoint.of("cursor", nextCursor)}) and stops a
     * reader that repeats a checkpoint.
     */
    public static Page next(List<Map<String, Object>> records, Checkpoint next) {
        return new Page(records, next, false, OptionalLong.empty());
    }
}
