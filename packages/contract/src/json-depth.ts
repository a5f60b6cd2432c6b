/** Bounded nesting checks, so a consumer never receives data too deep to serialize. */

/** The deepest nesting kept in a normalized body's `data`. */
export const MAX_DATA_DEPTH = 64;

/** Whether `value` nests arrays or objects deeper than `max` levels. Iterative. */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= max) return true;
    for (const child of Object.values(item.value)) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return false;
}
