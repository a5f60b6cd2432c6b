/** The report as aligned text tables for a terminal or a CI log, coloured on request. */

import type { Finding, ProbeResult, Report } from '../types.js';

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Colour with ANSI escapes. @default false */
  color?: boolean;
}

type Paint = (text: string) => string;

function painter(color: boolean, code: string): Paint {
  return color ? (text) => `\x1b[${code}m${text}\x1b[0m` : (text) => text;
}

/** Lays rows out in columns; the last column is not padded. */
function columns(rows: string[][], paints: (Paint | undefined)[][] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
    });
  }
  return rows.map((row, r) =>
    row
      .map((cell, index) => {
        const padded =
          index === row.length - 1 ? cell : cell + ' '.repeat(widths[index]! - [...cell].length);
        const paint = paints[r]?.[index];
        return paint ? paint(padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function outcome(probe: ProbeResult): { text: string; kind: 'ok' | 'error' | 'warning' | 'note' } {
  const errors = probe.findings.filter((f) => f.severity === 'error').length;
  const warnings = probe.findings.length - errors;
  const parts: string[] = [];
  if (errors > 0) parts.push(count(errors, 'error'));
  if (warnings > 0) parts.push(count(warnings, 'warning'));
  if (errors > 0) return { text: `✗ ${parts.join(', ')}`, kind: 'error' };
  if (warnings > 0) return { text: `! ${parts.join(', ')}`, kind: 'warning' };
  if (probe.outcome === 'inconclusive')
    return { text: `? ${probe.note ?? 'inconclusive'}`, kind: 'note' };
  return { text: probe.note ? `✓ ${probe.note}` : '✓ conforms', kind: 'ok' };
}

/** The report as text: a line per probe, then every finding with what was sent, received and the fix. */
export function formatTable(report: Report, options: TableOptions = {}): string {
  const color = options.color ?? false;
  const bold = painter(color, '1');
  const red = painter(color, '31');
  const yellow = painter(color, '33');
  const green = painter(color, '32');
  const dim = painter(color, '2');
  const byKind = { ok: green, error: red, warning: yellow, note: dim };
  const out: string[] = [];
  const { summary } = report;
  out.push(`${bold('apifault check')} ${report.target}`);
  out.push('');
  const probeRows = [['PROBE', 'REQUEST', 'STATUS', 'RESULT']];
  const probePaints: (Paint | undefined)[][] = [[bold, bold, bold, bold]];
  for (const probe of report.probes) {
    const result = outcome(probe);
    probeRows.push([
      probe.name,
      clip(probe.target, 48),
      probe.response.status === 0 ? '—' : String(probe.response.status),
      result.text,
    ]);
    probePaints.push([undefined, undefined, undefined, byKind[result.kind]]);
  }
  for (const skipped of report.skipped) {
    probeRows.push([skipped.name, '—', '—', `skipped: ${skipped.reason}`]);
    probePaints.push([dim, dim, dim, dim]);
  }
  out.push(...columns(probeRows, probePaints));
  if (report.findings.length > 0) {
    out.push('');
    const rows = [['SEVERITY', 'PROBE', 'RULE', 'FINDING']];
    const paints: (Paint | undefined)[][] = [[bold, bold, bold, bold]];
    const details: Finding[] = [];
    for (const finding of report.findings) {
      rows.push([finding.severity, finding.probe, finding.rule, finding.message]);
      paints.push([finding.severity === 'error' ? red : yellow]);
      details.push(finding);
    }
    const lines = columns(rows, paints);
    out.push(lines[0]!);
    // The detail lines hang under the FINDING column.
    const indent = ' '.repeat(
      Math.max(...rows.map((r) => [...r[0]!].length)) +
        Math.max(...rows.map((r) => [...r[1]!].length)) +
        Math.max(...rows.map((r) => [...r[2]!].length)) +
        6,
    );
    details.forEach((finding, index) => {
      out.push(lines[index + 1]!);
      out.push(dim(`${indent}sent:     ${finding.sent}`));
      out.push(dim(`${indent}received: ${finding.received}`));
      out.push(dim(`${indent}fix:      ${finding.fix}`));
    });
  }
  out.push('');
  const verdict =
    summary.errors > 0
      ? red(`✗ ${count(summary.errors, 'error')}`)
      : summary.refusedByAuthentication
        ? red('✗ not checked (the token was refused)')
        : green('✓ conforms');
  out.push(
    `${verdict}, ${count(summary.warnings, 'warning')} · ${count(summary.probes, 'request')}, ${summary.skipped} skipped, ${summary.inconclusive} inconclusive · ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return `${out.join('\n')}\n`;
}
