package io.quantsinfra.lake.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The longest remote name the lake accepts is counted in UTF-8 bytes, as Linux counts it. */
class NameRulesTest {
    @Test
    void aNameUpTo255BytesIsAccepted_andOneByteMoreIsRefused_whateverItsCharacters() {
        assertEquals(Optional.empty(), NameRules.problem("a".repeat(255)));
        assertEquals(Optional.empty(), NameRules.problem("€".repeat(85)), "85 characters of 3 bytes: 255 bytes");
        assertEquals(Optional.empty(), NameRules.problem("é".repeat(127)), "254 bytes");

        assertTooLong(NameRules.problem("a".repeat(256)));
        assertTooLong(NameRules.problem("€".repeat(86)));
        assertTooLong(NameRules.problem("é".repeat(128)));
        assertTooLong(NameRules.problem("\uD83D\uDE00".repeat(64))); // 64 emoji of 4 bytes in 128 chars: 256 bytes
    }

    private static void assertTooLong(Optional<String> problem) {
        assertTrue(problem.orElse("").contains("longer than 255 bytes"), problem.toString());
    }
}
