package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Strict decoding of remote names, and the printable form of those that are not text. */
class WireNamesTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void utf8_acceptsText_andRefusesBadBytesOverlongFormsSurrogatesAndCutSequences() {
        assertEquals(Optional.of("café.parquet"), WireNames.utf8("café.parquet".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), WireNames.utf8(bytes('b', 0xff)), "never a UTF-8 byte");
        assertEquals(Optional.empty(), WireNames.utf8(bytes(0xc0, 0xaf)), "an overlong '/'");
        assertEquals(Optional.empty(), WireNames.utf8(bytes(0xed, 0xa0, 0x80)), "a surrogate");
        assertEquals(Optional.empty(), WireNames.utf8(bytes('a', 0xc3)), "a sequence cut short");
    }

    @Test
    void escaped_keepsTheText_escapesBadBytesBackslashesAndControls_soDistinctNamesStayDistinct() {
        assertEquals("bad\\xff.parquet", WireNames.escaped(bytes('b', 'a', 'd', 0xff, '.', 'p', 'a', 'r', 'q', 'u', 'e', 't')));
        assertEquals("é\\xfe", WireNames.escaped(bytes(0xc3, 0xa9, 0xfe)));
        assertEquals("\\x1b[\\xff", WireNames.escaped(bytes(0x1b, '[', 0xff)));
        assertEquals("a\\xc3", WireNames.escaped(bytes('a', 0xc3)));
        // the text "\xff" beside a bad byte is not the bad byte 0xff
        assertEquals("\\x5cxff\\xfe", WireNames.escaped(bytes('\\', 'x', 'f', 'f', 0xfe)));
        assertEquals("\\xff\\xfe", WireNames.escaped(bytes(0xff, 0xfe)));
        assertTrue(WireNames.escaped(bytes(0xff)).contains("\\"), "every escaped form holds a backslash, which no accepted name does");
    }
}
