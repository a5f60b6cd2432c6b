/** TargetUnreachableError: the API under test never answered. */

/** Thrown by `checkConformance` when the target cannot be reached at all (CLI exit code 2). */
export class TargetUnreachableError extends Error {
  override name = 'TargetUnreachableError' as const;
  /** The base URL that was tried. */
  readonly target: string;
  /** Why: `ECONNREFUSED`, `ENOTFOUND`, `timed out` … */
  readonly reason: string;

  constructor(target: string, reason: string) {
    super(`${target} cannot be reached: ${reason}.`);
    this.target = target;
    this.reason = reason;
  }
}
