package io.quantsinfra.lake.s3;

import java.util.List;

/**
 * One level of a listing with delimiter {@code /}, as a directory: see {@link ObjectStore#listLevel}.
 *
 * @param files       the objects right below the prefix
 * @param directories the prefixes one level down, each ending with {@code /}
 */
public record ObjectLevel(List<ObjectEntry> files, List<String> directories) {
    /** Copies the lists so the record stays immutable. */
    public ObjectLevel {
        files = List.copyOf(files);
        directories = List.copyOf(directories);
    }
}
