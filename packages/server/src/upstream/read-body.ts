/** Reads a fetch Response body with a byte limit, as text, refusing invalid UTF-8. */

/** Thrown by {@link readBodyText} when the body exceeds its limit. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError' as const;
}

/**
 * Reads at most `maxBytes` of `response`'s body. With `truncate`, a longer body is cut at
 * the limit (for log snippets); without, it throws {@link BodyTooLargeError}.
 */
export async function readBodyText(
  response: Response,
  maxBytes: number,
  truncate = false,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(`declared ${declared} bytes, limit ${maxBytes}`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => {});
      if (!truncate) throw new BodyTooLargeError(`over ${maxBytes} bytes`);
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = Buffer.concat(chunks, size);
  // fatal: invalid UTF-8 is garbage, not something to half-decode. A snippet may end mid-character.
  return new TextDecoder('utf-8', { fatal: !truncate }).decode(bytes);
}
