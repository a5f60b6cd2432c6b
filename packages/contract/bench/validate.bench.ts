/**
 * Micro-benchmark: validateErrorBody against an Ajv-compiled validator of errorBodySchema,
 * and normalizeErrorResponse against JSON.parse + Ajv, on the same inputs in one run.
 * Run: `npm run bench -w @apifault/contract` (add `-- --quick` for fewer, shorter rounds).
 */

import { pathToFileURL } from 'node:url';
import { errorBodySchema, normalizeErrorResponse, validateErrorBody } from '@apifault/contract';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { BenchRow } from '../../../scripts/bench.js';

/** Options of {@link run}. */
export interface BenchOptions {
  /** Fewer and shorter rounds, for CI smoke runs. @default false */
  quick?: boolean;
}

const description = 'Partner Organization with partner_id 9999999 could not be found';

// Valid and invalid bodies in the proportions a producer's tests see them.
const bodies: unknown[] = [
  { code: '3000', description, data: [], source: 'PartnerFD' },
  {
    code: '60012',
    description: "We're sorry, it looks like you've run out of licenses.",
    data: ['x'],
    source: 'PartnerFD',
  },
  {
    code: '2000',
    description: 'Tenant Id must be a GUID.',
    source: 'PartnerApiServiceControllers',
  },
  {
    code: '429',
    description: 'Rate limit is exceeded. Try again in 57 seconds.',
    source: 'apifault',
  },
  { code: '2201', description: 'x'.repeat(900), data: [{ field: 'mpnId' }], source: 'PartnerFD' },
  { code: 3000, description, data: [], source: 'PartnerFD' },
  { statusCode: 429, message: 'Rate limit is exceeded.' },
  { code: '1', description: '', data: {}, source: null },
];

// Raw texts a client receives: the documented samples' shapes.
const texts: string[] = [
  JSON.stringify({ code: 3000, description, data: [], source: 'PartnerFD' }, null, 4),
  JSON.stringify({ code: '3000', description, data: [], source: 'PartnerFD' }),
  '{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds." } ',
  JSON.stringify({
    code: 60012,
    description: 'We&#39;re sorry, it looks like you&#39;ve run out of licenses.',
    data: [
      'LicenseQuotaExceededException : Subscription with Account 0c39d6d5 has no licenses left.',
    ],
    source: 'PartnerFD',
  }),
  JSON.stringify({
    code: 600061,
    message: 'A partner confirmed agreement already exists for the customer.',
    description: 'A partner confirmed agreement already exists for the customer.',
    errorName: 'PartnerConfirmedAgreementAlreadyExists',
    isRetryable: false,
    parameters: {},
  }),
];

let sink = 0;

/** Ops per second of `fn` over `inputs`, timed over about `ms` milliseconds. */
function measure(fn: (input: never) => unknown, inputs: readonly unknown[], ms: number): number {
  const call = fn as (input: unknown) => unknown;
  let iterations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(ms * 1e6));
  let elapsed = 0n;
  // Batches keep the clock out of the inner loop.
  while (elapsed < budget) {
    for (let batch = 0; batch < 200; batch++) {
      for (let i = 0; i < inputs.length; i++) {
        const result = call(inputs[i]);
        if (result) sink++;
      }
    }
    iterations += 200 * inputs.length;
    elapsed = process.hrtime.bigint() - start;
  }
  return iterations / (Number(elapsed) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function compare(
  name: string,
  ours: (input: never) => unknown,
  peer: string,
  theirs: (input: never) => unknown,
  inputs: readonly unknown[],
  rounds: number,
  ms: number,
): BenchRow {
  measure(ours, inputs, ms / 2); // warm-up: let both reach optimized code
  measure(theirs, inputs, ms / 2);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so neither always runs on a warmer CPU.
    if (round % 2 === 0) {
      a.push(measure(ours, inputs, ms));
      b.push(measure(theirs, inputs, ms));
    } else {
      b.push(measure(theirs, inputs, ms));
      a.push(measure(ours, inputs, ms));
    }
  }
  const value = median(a);
  const peerValue = median(b);
  return { name, value, unit: 'ops/s', peer, peerValue, ratio: value / peerValue };
}

/** Runs both comparisons and returns their rows (medians of several rounds). */
export async function run(options: BenchOptions = {}): Promise<BenchRow[]> {
  const rounds = options.quick ? 3 : 7;
  const ms = options.quick ? 50 : 200;
  // allErrors: validateErrorBody reports every violation, so Ajv must too for equal work.
  const ajv = new Ajv2020({ allErrors: true });
  const ajvValidate = ajv.compile(errorBodySchema);
  const validateRow = compare(
    'validateErrorBody',
    (body: unknown) => validateErrorBody(body).length === 0,
    'ajv',
    (body: unknown) => ajvValidate(body),
    bodies,
    rounds,
    ms,
  );
  // Without the 900-character description, whose code points Ajv counts one by one.
  const shortRow = compare(
    'validateErrorBody (short descriptions)',
    (body: unknown) => validateErrorBody(body).length === 0,
    'ajv',
    (body: unknown) => ajvValidate(body),
    bodies.filter((body) => JSON.stringify(body).length < 200),
    rounds,
    ms,
  );
  const normalizeRow = compare(
    'normalizeErrorResponse',
    (text: string) => normalizeErrorResponse({ status: 400, bodyText: text }).body,
    'JSON.parse+ajv',
    (text: string) => {
      try {
        return ajvValidate(JSON.parse(text));
      } catch {
        return false;
      }
    },
    texts,
    rounds,
    ms,
  );
  // The issue holds validation to Ajv's speed; normalization does far more work and is reported only.
  for (const row of [validateRow, shortRow]) {
    row.goal = '≥ 1.0 (as fast as Ajv)';
    row.pass = row.ratio >= 1;
  }
  normalizeRow.goal = 'reported (repairs as well as validates)';
  return [validateRow, shortRow, normalizeRow];
}

function format(opsPerSecond: number): string {
  return opsPerSecond >= 1e6
    ? `${(opsPerSecond / 1e6).toFixed(2)}M ops/s`
    : `${(opsPerSecond / 1e3).toFixed(1)}k ops/s`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const rows = await run({ quick });
  for (const row of rows) {
    console.log(`${row.name}: ${format(row.value)}; ${row.peer}: ${format(row.peerValue)}`);
  }
  for (const row of rows) console.log(`${row.name} vs ${row.peer}: ${row.ratio.toFixed(2)}x`);
  if (sink < 0) console.log(sink);
}
