/** The status catalog: fifteen statuses, generic metadata for the rest, never a crash. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStatusInfo, isContractStatus, STATUSES } from '@apifault/contract';

// From the table in CONTRACT.md.
const table: [number, string, string, string][] = [
  [400, 'Bad Request', 'BadInput', 'never'],
  [401, 'Unauthorized', 'Unauthorized', 'refresh-credential'],
  [403, 'Forbidden', 'Forbidden', 'never'],
  [404, 'Not Found', 'NotFound', 'never'],
  [405, 'Method Not Allowed', 'InvalidOperation', 'never'],
  [406, 'Not Acceptable', 'UnsupportedDataFormat', 'never'],
  [408, 'Request Timeout', 'RequestTimeout', 'idempotent-backoff'],
  [409, 'Conflict', 'Conflict', 'never'],
  [412, 'Precondition Failed', 'PreconditionFailed', 'never'],
  [429, 'Too Many Requests', 'TooManyRequests', 'after-retry-after'],
  [500, 'Internal Server Error', 'ServerError', 'idempotent-backoff'],
  [501, 'Not Implemented', 'NotImplemented', 'never'],
  [502, 'Bad Gateway', 'BadGateway', 'idempotent-backoff'],
  [503, 'Service Unavailable', 'ServerBusy', 'retry-after-or-backoff'],
  [504, 'Gateway Timeout', 'GatewayTimeout', 'idempotent-backoff'],
];

describe('status catalog', () => {
  it('holds the fifteen contract statuses in ascending order', () => {
    assert.deepEqual(
      STATUSES.map((s) => s.status),
      table.map(([status]) => status),
    );
  });

  for (const [status, reason, category, retry] of table) {
    it(`${status} ${reason}: ${category}, retry ${retry}`, () => {
      const info = getStatusInfo(status);
      assert.equal(info.status, status);
      assert.equal(info.reason['en-US'], reason);
      assert.ok(info.reason['fr-FR'].length > 3);
      assert.equal(info.category, category);
      assert.equal(info.retry, retry);
      assert.equal(info.known, true);
      assert.equal(isContractStatus(status), true);
      assert.ok(Object.isFrozen(info));
    });
  }

  it('gives other 4xx/5xx generic metadata', () => {
    const gone = getStatusInfo(410);
    assert.deepEqual(
      [gone.status, gone.reason['en-US'], gone.category, gone.retry, gone.known],
      [410, 'Gone', 'ClientError', 'never', false],
    );
    assert.equal(getStatusInfo(413).reason['en-US'], 'Content Too Large');
    assert.equal(getStatusInfo(422).reason['fr-FR'], 'Contenu non traitable');
    const odd = getStatusInfo(599);
    assert.deepEqual(
      [odd.status, odd.reason['en-US'], odd.category, odd.known],
      [599, 'Server Error', 'Unknown', false],
    );
    assert.equal(getStatusInfo(499).reason['en-US'], 'Client Error');
    assert.equal(isContractStatus(410), false);
    assert.equal(getStatusInfo(410), getStatusInfo(410));
  });

  it('never crashes: anything outside 400-599 reads as 500', () => {
    for (const status of [0, -1, 200, 399, 600, 1000, 404.5, Number.NaN, Infinity, -Infinity]) {
      const info = getStatusInfo(status);
      assert.equal(info.status, 500, String(status));
      assert.equal(info.category, 'ServerError');
      assert.equal(isContractStatus(status), false);
    }
  });
});
