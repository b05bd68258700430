package io.quantsinfra.lake.plan;

import java.util.Map;
import java.util.SortedMap;

/**
 * The local tree under a profile directory, without our temporary files and partial
 * directories, and after filters (excluded entries are protected from deletion).
 *
 * @param entries      entries by relative path, sorted
 * @param partialBytes bytes held in each staging file (and file in a partial directory), by its own
 *                     relative path (see {@link NameRules#stagingRelative})
 */
public record LocalListing(SortedMap<String, LocalEntry> entries, Map<String, Long> partialBytes) {
}
