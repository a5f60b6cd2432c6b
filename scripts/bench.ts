// `npm run bench`: runs every package's benchmarks and writes BENCHMARKS.md's tables, keeping
// the hand-written lab notes below them.
// Each packages/*/bench/*.bench.ts file exports `run({ quick })` returning rows measured
// against a peer in the same run; this script only gathers and reports them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One measured figure against its peer. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  peer: string;
  peerValue: number;
  /** value / peerValue, or the row's own comparison where lower is better. */
  ratio: number;
  /** What the row is held to, in words (`≥ 0.90 of the peer`). */
  goal?: string;
  /** Whether the goal was met, when the row can tell. */
  pass?: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

function benchFiles(): string[] {
  const files: string[] = [];
  for (const pkg of ['contract', 'server', 'client', 'emulator', 'conformance', 'proxy']) {
    const dir = join(root, 'packages', pkg, 'bench');
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (name.endsWith('.bench.ts')) files.push(join(dir, name));
    }
  }
  return files.filter((f) => !only || f.includes(only));
}

/** The hand-written part of BENCHMARKS.md: from this heading to the end, kept by every run. */
const LAB_NOTES_HEADING = '# Lab notes';

function labNotes(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const at = text.indexOf(`\n${LAB_NOTES_HEADING}\n`);
  return at === -1 ? '' : text.slice(at + 1);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(n >= 100 ? 0 : 2);
}

const started = Date.now();
const sections: { file: string; rows: BenchRow[]; error?: string }[] = [];
for (const file of benchFiles()) {
  const label = file.slice(root.length);
  process.stderr.write(`bench: ${label}\n`);
  try {
    const mod = (await import(pathToFileURL(file).href)) as {
      run?: (o: { quick: boolean }) => Promise<BenchRow[]>;
    };
    if (typeof mod.run !== 'function') continue;
    sections.push({ file: label, rows: await mod.run({ quick }) });
  } catch (error) {
    sections.push({ file: label, rows: [], error: String((error as Error)?.stack ?? error) });
  }
}
const seconds = Math.round((Date.now() - started) / 1000);

const cpus = os.cpus();
const lines = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}, in ${seconds} s.`,
  '',
  `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}`,
  '- every figure is the median of several rounds; each peer is measured in the same run, on the same machine',
  '- where rounds are paired (the server, rate-limit and client rows), the ratio is the median of the per-round ratios, so it can differ from figure ÷ peer figure',
  '- server rows: "server capacity" is requests per CPU-second of the server process (what the goal holds); throughput is what the load generator saw, for information',
  '- benchmarks run the built packages (`dist/`), as users do',
  '- load generators and servers run in separate processes; every run is bounded in time',
  '',
];
for (const section of sections) {
  lines.push(`## ${section.file}`, '');
  if (section.error) {
    lines.push('Failed:', '', '```', section.error, '```', '');
    continue;
  }
  lines.push(
    '| row | figure | peer | peer figure | ratio | goal | met |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of section.rows) {
    const met = r.pass === undefined ? '' : r.pass ? 'yes' : 'no';
    lines.push(
      `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.peer} | ${fmt(r.peerValue)} ${r.unit} | ${r.ratio.toFixed(2)} | ${r.goal ?? ''} | ${met} |`,
    );
  }
  lines.push('');
}
const out = join(root, quick ? 'bench-results/BENCHMARKS.quick.md' : 'BENCHMARKS.md');
if (quick) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'bench-results'), { recursive: true });
}
writeFileSync(out, `${lines.join('\n')}\n${quick ? '' : labNotes(out)}`);
process.stdout.write(`${lines.join('\n')}\nwrote ${out.slice(root.length)}\n`);
const failed = sections.filter((s) => s.error).length;
process.exit(failed ? 1 : 0);
