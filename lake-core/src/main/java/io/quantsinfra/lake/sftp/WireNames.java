package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.plan.NameRules;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * File names as they come off the wire: SFTP sends bytes, and a server may send any. They are
 * decoded strictly, never lossily, so that two names never become one.
 */
final class WireNames {
    private WireNames() {
    }

    /**
     * The name a server sent as {@code raw} bytes, or empty when they are not valid UTF-8. Such a
     * name cannot be stored here under the same name (the JDK names files with Strings), and a
     * lossy decoding would make a name that is not on the remote, the same for different names.
     */
    static Optional<String> utf8(byte[] raw) {
        if (isAscii(raw)) {
            return Optional.of(new String(raw, StandardCharsets.ISO_8859_1)); // most names: no decoder needed
        }
        try {
            return Optional.of(strictUtf8().decode(ByteBuffer.wrap(raw)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * A printable form of a name that is not valid UTF-8 ({@link #utf8}), for messages and reports:
     * its valid text as it is, every other byte, backslash and control character as {@code \xNN}.
     * Distinct names give distinct forms, and none is a name {@code NameRules} accepts.
     */
    static String escaped(byte[] raw) {
        CharsetDecoder decoder = strictUtf8();
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer text = CharBuffer.allocate(raw.length); // UTF-8 never decodes to more chars than bytes
        StringBuilder sb = new StringBuilder();
        for (CoderResult r = CoderResult.OVERFLOW; !r.isUnderflow(); ) {
            r = decoder.decode(in, text, true);
            for (char c : text.flip().toString().toCharArray()) {
                if (c < 0x20 || c == 0x7f || c == '\\') {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            text.clear();
            if (r.isError()) { // the bytes that are not UTF-8, which the decoder leaves to us
                for (int i = 0; i < r.length(); i++) {
                    sb.append(String.format("\\x%02x", in.get() & 0xff));
                }
            }
        }
        return sb.toString();
    }

    private static boolean isAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
