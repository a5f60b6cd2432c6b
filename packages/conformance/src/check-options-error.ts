/** CheckOptionsError: the options of a run are unusable. */

/** Thrown by `checkConformance` for a bad base URL, probe name or OpenAPI document (CLI exit code 2). */
export class CheckOptionsError extends Error {
  override name = 'CheckOptionsError' as const;
}
