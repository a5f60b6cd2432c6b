/** The report as JSON, for machines. */

import type { Report } from '../types.js';

/** The report, pretty-printed, with a trailing newline. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
