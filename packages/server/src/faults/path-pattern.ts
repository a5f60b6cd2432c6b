/**
 * The path patterns of fault rules, matched segment by segment in time bounded by the
 * pattern's length times the path's: `**` (a whole segment) spans any number of segments,
 * none included; any other segment matches exactly one, `*` standing for any run of
 * characters inside it. No backtracking: a pattern cut at its `**` segments is a sequence of
 * groups, each found at its leftmost place after the previous one (as a glob's literal parts
 * are), which is where a match puts it if there is one.
 */

import { FaultRuleError } from './fault-rule-error.js';

/** One segment of a pattern: literal text, or the parts of a one-segment glob around its `*`s. */
type SegmentPattern = string | readonly string[];

/** A compiled path pattern. */
export interface PathPattern {
  /** The segments before the first `**`, matched from the start of the path. */
  readonly head: readonly SegmentPattern[];
  /** The groups between two `**`, each found leftmost, in order. */
  readonly middle: readonly (readonly SegmentPattern[])[];
  /** The segments after the last `**`, matched at the end; undefined without any `**`. */
  readonly tail: readonly SegmentPattern[] | undefined;
}

const SPAN = '**';

/** The segments of a path (or pattern), one trailing slash ignored: `/a/b/` is `['', 'a', 'b']`. */
export function pathSegments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/');
}

function compileSegment(segment: string, pattern: string): SegmentPattern {
  if (segment.includes(SPAN)) {
    throw new FaultRuleError(
      `path "${pattern.slice(0, 80)}": "**" must be a whole segment (/v1/**/orders); "*" matches within one`,
    );
  }
  return segment.includes('*') ? segment.split('*') : segment;
}

/** Compiles a pattern; throws FaultRuleError when a `**` is not a whole segment. */
export function compilePathPattern(pattern: string): PathPattern {
  const groups: SegmentPattern[][] = [[]];
  for (const segment of pathSegments(pattern)) {
    if (segment === SPAN) groups.push([]);
    else (groups[groups.length - 1] as SegmentPattern[]).push(compileSegment(segment, pattern));
  }
  if (groups.length === 1)
    return { head: groups[0] as SegmentPattern[], middle: [], tail: undefined };
  return {
    head: groups[0] as SegmentPattern[],
    middle: groups.slice(1, -1),
    tail: groups[groups.length - 1] as SegmentPattern[],
  };
}

/** Whether one path segment matches one pattern segment (a glob's parts found leftmost). */
function segmentMatches(pattern: SegmentPattern, segment: string): boolean {
  if (typeof pattern === 'string') return pattern === segment;
  const first = pattern[0] as string;
  const last = pattern[pattern.length - 1] as string;
  if (segment.length < first.length + last.length) return false;
  if (!segment.startsWith(first) || !segment.endsWith(last)) return false;
  const end = segment.length - last.length;
  let at = first.length;
  for (let i = 1; i < pattern.length - 1; i++) {
    const part = pattern[i] as string;
    const found = segment.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Whether `group` matches the segments starting at `at`. */
function groupMatchesAt(group: readonly SegmentPattern[], segments: string[], at: number): boolean {
  for (let i = 0; i < group.length; i++) {
    if (!segmentMatches(group[i] as SegmentPattern, segments[at + i] as string)) return false;
  }
  return true;
}

/** Whether the path, split by {@link pathSegments}, matches the pattern. */
export function matchesPathPattern(pattern: PathPattern, segments: string[]): boolean {
  const { head, middle, tail } = pattern;
  if (tail === undefined) {
    return segments.length === head.length && groupMatchesAt(head, segments, 0);
  }
  const end = segments.length - tail.length;
  if (end < head.length) return false;
  if (!groupMatchesAt(head, segments, 0) || !groupMatchesAt(tail, segments, end)) return false;
  let at = head.length;
  for (const group of middle) {
    let found = -1;
    for (let start = at; start + group.length <= end; start++) {
      if (groupMatchesAt(group, segments, start)) {
        found = start;
        break;
      }
    }
    if (found === -1) return false;
    at = found + group.length;
  }
  return true;
}
