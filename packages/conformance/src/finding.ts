/** Builds findings from an exchange, with the rule's severity and fix. */

import { describeReceived, describeSent, type Exchange } from './exchange.js';
import { RULES, type RuleName } from './rules.js';
import type { Finding, ProbeName } from './types.js';

/** Who saw the finding. */
export interface FindingSite {
  probe: ProbeName;
  target: string;
  baseUrl: string;
}

/** What to show of the exchange in `sent` and `received`. */
export interface FindingFocus {
  /** Request headers to show. */
  sent?: string[];
  /** Response headers to show. */
  received?: string[];
  /** A fix more precise than the rule's. */
  fix?: string;
}

/** A finding of `rule` about `exchange`. */
export function makeFinding(
  rule: RuleName,
  message: string,
  exchange: Exchange,
  site: FindingSite,
  focus: FindingFocus = {},
): Finding {
  const info = RULES[rule];
  return {
    severity: info.severity,
    rule,
    probe: site.probe,
    target: site.target,
    message,
    sent: describeSent(exchange, site.baseUrl, focus.sent),
    received: describeReceived(exchange, focus.received),
    fix: focus.fix ?? info.fix,
  };
}
