/** The report as JUnit XML: one testsuite, a testcase per probe, a failure per error finding. */

import type { Finding, Report } from '../types.js';

/** Characters XML 1.0 cannot carry at all, even escaped. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML attribute or element, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function details(finding: Finding): string {
  return `sent: ${finding.sent}\nreceived: ${finding.received}\nfix: ${finding.fix}`;
}

/** The report as a JUnit XML document. */
export function formatJunit(report: Report): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const cases = report.probes.length + report.skipped.length;
  const failed = report.probes.filter((probe) =>
    probe.findings.some((finding) => finding.severity === 'error'),
  ).length;
  const inconclusive = report.probes.filter(
    (probe) =>
      probe.outcome === 'inconclusive' && !probe.findings.some((f) => f.severity === 'error'),
  ).length;
  const skipped = report.skipped.length + inconclusive;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="apifault check" tests="${cases}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(`apifault check ${report.target}`)}" tests="${cases}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${escapeXml(report.startedAt.replace(/\.\d+Z$/, ''))}">`,
    '    <properties>',
    `      <property name="target" value="${escapeXml(report.target)}"/>`,
    `      <property name="inconclusive" value="${report.summary.inconclusive}"/>`,
    `      <property name="refusedByAuthentication" value="${report.summary.refusedByAuthentication}"/>`,
    '    </properties>',
  ];
  for (const probe of report.probes) {
    const name = escapeXml(`${probe.name} ${probe.target}`);
    const time = (probe.durationMs / 1000).toFixed(3);
    const open = `    <testcase classname="apifault.${escapeXml(probe.name)}" name="${name}" time="${time}">`;
    const errors = probe.findings.filter((finding) => finding.severity === 'error');
    const warnings = probe.findings.filter((finding) => finding.severity === 'warning');
    const judged = probe.outcome !== 'inconclusive' || errors.length > 0;
    const notes = [
      ...(probe.note && judged ? [`note: ${probe.note}`] : []),
      ...warnings.map((w) => `warning ${w.rule}: ${w.message}\n${details(w)}`),
    ];
    if (errors.length === 0 && notes.length === 0 && judged) {
      lines.push(`${open.slice(0, -1)}/>`);
      continue;
    }
    lines.push(open);
    if (!judged)
      lines.push(`      <skipped message="${escapeXml(probe.note ?? 'inconclusive')}"/>`);
    for (const finding of errors) {
      lines.push(
        `      <failure type="${escapeXml(finding.rule)}" message="${escapeXml(finding.message)}">${escapeXml(details(finding))}</failure>`,
      );
    }
    if (notes.length > 0)
      lines.push(`      <system-out>${escapeXml(notes.join('\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  for (const probe of report.skipped) {
    lines.push(
      `    <testcase classname="apifault.${escapeXml(probe.name)}" name="${escapeXml(probe.name)}">`,
      `      <skipped message="${escapeXml(probe.reason)}"/>`,
      '    </testcase>',
    );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
