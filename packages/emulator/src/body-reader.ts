/** Reads untrusted JSON bodies field by field, collecting every problem so one 400 lists them all. */

import { type FieldProblem, invalidInput } from './errors.js';

/** The parsed body, or 400 800002 when the request had none. */
export function requireBody(raw: unknown): unknown {
  if (raw === undefined) throw invalidInput('a JSON body is required.');
  return raw;
}

// With the u flag a valid surrogate pair reads as one code point: only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** Collects field problems while reading an untrusted JSON value. */
export class BodyReader {
  readonly problems: FieldProblem[] = [];

  /** The value as an object (empty object and a problem if it is not one). */
  object(value: unknown, field: string, required = true): Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    if (value !== undefined || required)
      this.problems.push({ field, message: 'must be an object' });
    return {};
  }

  /** A string of 1–max characters; undefined when absent and optional. */
  string(
    value: unknown,
    field: string,
    options: { required?: boolean; max?: number; pattern?: RegExp } = {},
  ): string | undefined {
    if (value === undefined || value === null) {
      if (options.required) this.problems.push({ field, message: 'is required' });
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push({ field, message: 'must be a non-empty string' });
      return undefined;
    }
    const max = options.max ?? 256;
    if (value.length > max) {
      this.problems.push({ field, message: `must be at most ${max} characters` });
      return undefined;
    }
    if (LONE_SURROGATE.test(value)) {
      // SQLite stores text as UTF-8, where a lone surrogate cannot be written: it would come
      // back as U+FFFD, unlike what the answer to this request showed.
      this.problems.push({
        field,
        message: 'must be valid Unicode text (it holds a lone surrogate)',
      });
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.problems.push({ field, message: 'has an invalid format' });
      return undefined;
    }
    return value;
  }

  /** An integer within [min, max]; undefined when absent and optional. */
  integer(
    value: unknown,
    field: string,
    options: { required?: boolean; min: number; max: number },
  ): number | undefined {
    if (value === undefined || value === null) {
      if (options.required) this.problems.push({ field, message: 'is required' });
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problems.push({ field, message: 'must be an integer' });
      return undefined;
    }
    if (value < options.min || value > options.max) {
      this.problems.push({ field, message: `must be between ${options.min} and ${options.max}` });
      return undefined;
    }
    return value;
  }

  /** A boolean; undefined when absent. */
  boolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problems.push({ field, message: 'must be true or false' });
      return undefined;
    }
    return value;
  }

  /** One of the allowed strings (case-insensitive, answered in the listed case). */
  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    const found =
      typeof value === 'string'
        ? allowed.find((a) => a.toLowerCase() === value.toLowerCase())
        : undefined;
    if (!found) this.problems.push({ field, message: `must be one of ${allowed.join(', ')}` });
    return found;
  }
}
