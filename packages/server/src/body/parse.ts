/** Runtime-neutral JSON body rules: which content types are JSON, and parsing with a helpful error. */

import { emptyBody, invalidJson, payloadTooLarge, unsupportedContentType } from './errors.js';
import { locateJsonError } from './json-error.js';

// `type/subtype` before any parameter; +json structured suffixes count (RFC 6839).
const JSON_MEDIA = /^\s*application\/(?:json|[a-z0-9!#$&^_.-]+\+json)\s*(?:;|$)/i;

/** Whether a `Content-Type` value names JSON (`application/json` or `application/*+json`). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA.test(contentType);
}

/** Throws the contract's 400 unless `contentType` names JSON. */
export function assertJsonContentType(contentType: string | undefined): void {
  if (!isJsonContentType(contentType)) throw unsupportedContentType(contentType);
}

/**
 * Parses a JSON body, throwing a 400 whose description says where the text is broken.
 * `JSON.parse` does not recurse on the JS stack in V8, so deeply nested input is safe.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw emptyBody();
  try {
    return JSON.parse(text);
  } catch (error) {
    // Engines word their messages differently: say where it broke in our own words.
    const where = locateJsonError(text);
    if (where) {
      throw invalidJson(
        `unexpected ${where.found} at line ${where.line}, column ${where.column} (position ${where.position})`,
      );
    }
    if (error instanceof RangeError) throw invalidJson('it is nested too deeply');
    throw invalidJson(error instanceof Error ? error.message : String(error));
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a body as UTF-8 (a BOM is dropped); invalid UTF-8 is a 400. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalidJson('it is not valid UTF-8');
  }
}

/** What a request's headers say about its body. */
export interface BodyHeaders {
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}

/**
 * Decides, before reading, what to do with a request body: `none` (no body and no
 * Content-Type: the handler gets `undefined`), `read`, or a thrown 400/413.
 */
export function planBodyRead(headers: BodyHeaders, limit: number): 'none' | 'read' {
  const { contentType, contentLength, transferEncoding } = headers;
  const hasBody =
    transferEncoding !== undefined || (contentLength !== undefined && contentLength.trim() !== '0');
  if (contentType === undefined || contentType.trim() === '') {
    if (!hasBody) return 'none';
    throw unsupportedContentType(undefined);
  }
  if (!isJsonContentType(contentType)) throw unsupportedContentType(contentType);
  if (contentLength !== undefined && transferEncoding === undefined) {
    const declared = Number(contentLength);
    if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  }
  return 'read';
}
