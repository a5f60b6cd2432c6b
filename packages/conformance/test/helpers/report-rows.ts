/** Reads a report as rows a test can compare line by line. */

import type { Report, Severity } from '@apifault/conformance';

/** `[probe, rule]` for every finding of `severity`, in report order. */
export function rows(report: Report, severity: Severity): [string, string][] {
  return report.findings
    .filter((finding) => finding.severity === severity)
    .map((finding) => [finding.probe, finding.rule]);
}

/** The answer a probe got: status, content type and body. */
export function answer(report: Report, probe: string, index = 0) {
  const found = report.probes.filter((p) => p.name === probe)[index];
  if (!found) throw new Error(`no ${probe} probe in the report`);
  return {
    status: found.response.status,
    type: found.response.headers['content-type'],
    headers: found.response.headers,
    body: found.response.bodyText,
  };
}
