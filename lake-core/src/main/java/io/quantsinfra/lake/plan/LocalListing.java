package io.quantsinfra.lake.plan;

import java.util.List;
import java.util.Map;

/**
 * One local directory under a profile directory, without our temporary files and partial
 * directories, and after filters (excluded entries are protected from deletion).
 *
 * @param entries      entries, sorted by path
 * @param partialBytes bytes held in each staging file of the directory (and each file of its partial
 *                     directory), by its own relative path (see {@link NameRules#stagingRelative})
 */
public record LocalListing(List<LocalEntry> entries, Map<String, Long> partialBytes) {
    /** Copies the entries and sizes so the listing is immutable. */
    public LocalListing {
        entries = List.copyOf(entries);
        partialBytes = Map.copyOf(partialBytes);
    }

    /** A directory the lake does not have, or that holds nothing. */
    public static LocalListing empty() {
        return new LocalListing(List.of(), Map.of());
    }
}
