package io.quantsinfra.lake.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.EntryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lock-step merge of one directory's listings, table-driven like rclone's
 * {@code TestMatchListings}: each row gives the remote and local paths, sorted, and expects
 * {@code "= p"} (both), {@code "> p"} (remote only) or {@code "< p"} (local only), in order.
 */
class MarchTest {
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("both empty", List.of(), List.of(), List.of()),
                Arguments.of("remote only", List.of("a", "b"), List.of(), List.of("> a", "> b")),
                Arguments.of("local only", List.of(), List.of("a", "b"), List.of("< a", "< b")),
                Arguments.of("the same", List.of("a", "b"), List.of("a", "b"), List.of("= a", "= b")),
                Arguments.of("interleaved", List.of("a", "c", "e"), List.of("b", "c", "d", "f"),
                        List.of("> a", "< b", "= c", "< d", "> e", "< f")),
                Arguments.of("a name and its longer sibling", List.of("d/a", "d/a.csv"), List.of("d/a"),
                        List.of("= d/a", "> d/a.csv")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void matches(String name, List<String> remote, List<String> local, List<String> expected) {
        List<String> heard = new ArrayList<>();
        March.merge(remote.stream().map(p -> new RemoteEntry(p, EntryType.FILE, 0, 0, 0644, Optional.empty())).toList(),
                local.stream().map(p -> new LocalEntry(p, EntryType.FILE, 0, 0, Optional.empty())).toList(),
                new March.Visitor() {
                    @Override
                    public void remote(RemoteEntry r, LocalEntry l) {
                        heard.add((l == null ? "> " : "= ") + r.path());
                    }

                    @Override
                    public void localOnly(LocalEntry l) {
                        heard.add("< " + l.path());
                    }
                });
        assertEquals(expected, heard, name);
    }
}
