/** A fault rule or rule set was malformed or over a limit. */

/** A rule set was malformed; the message says which part and why. */
export class FaultRuleError extends Error {
  override name = 'FaultRuleError' as const;
}
