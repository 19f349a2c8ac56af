package io.github.ingest.core.mapping;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8: text only from valid bytes. {@code new String(bytes, UTF_8)} replaces what is not
 * UTF-8 with U+FFFD, which would change a value without a word.
 */
final class Utf8 {

  private Utf8() {}

  /** The text of {@code length} bytes of {@code bytes} from {@code offset}; null if not UTF-8. */
  static String decode(byte[] bytes, int offset, int length) {
    int end = offset + length;
    boolean ascii = true;
    for (int i = offset; i < end && ascii; i++) {
      ascii = bytes[i] >= 0;
    }
    if (ascii) {
      return new String(bytes, offset, length, StandardCharsets.US_ASCII);
    }
    try {
      return decoder().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Where the first byte that is not UTF-8 is, for a message: {@code byte 0xff at 3}. */
  static String firstInvalid(byte[] bytes, int offset, int length) {
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length);
    decoder().decode(in, out, true);
    int at = in.position();
    return at < offset + length
        ? String.format(Locale.ROOT, "byte 0x%02x at %d", bytes[at] & 0xff, at - offset)
        : "a sequence cut short at the end";
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
