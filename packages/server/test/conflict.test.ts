import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isApiError, validateErrorBody } from '@apifault/contract';
import Database from 'better-sqlite3';
import { conflictError, isUniqueViolation } from '../src/conflict/index.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to throw');
}

describe('isUniqueViolation against a real SQLite file', () => {
  let dir: string;
  let db: Database.Database;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apifault-conflict-'));
    db = new Database(join(dir, 'customers.db'));
    db.exec(
      'CREATE TABLE customer (id TEXT PRIMARY KEY, domain TEXT NOT NULL UNIQUE, quantity INTEGER CHECK (quantity >= 0))',
    );
    db.prepare('INSERT INTO customer (id, domain, quantity) VALUES (?, ?, ?)').run(
      'c1',
      'contoso.example',
      1,
    );
  });

  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert =
    (id: string, domain: string | null, quantity = 1) =>
    () =>
      db
        .prepare('INSERT INTO customer (id, domain, quantity) VALUES (?, ?, ?)')
        .run(id, domain, quantity);

  it('recognizes a UNIQUE violation', () => {
    const error = caught(insert('c2', 'contoso.example'));
    assert.equal((error as { code?: string }).code, 'SQLITE_CONSTRAINT_UNIQUE');
    assert.equal(isUniqueViolation(error), true);
  });

  it('recognizes a PRIMARY KEY violation', () => {
    const error = caught(insert('c1', 'fabrikam.example'));
    assert.equal((error as { code?: string }).code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
    assert.equal(isUniqueViolation(error), true);
  });

  it('does not take NOT NULL or CHECK failures for conflicts', () => {
    assert.equal(isUniqueViolation(caught(insert('c3', null))), false);
    assert.equal(isUniqueViolation(caught(insert('c4', 'x.example', -1))), false);
  });

  it('maps the violation to a 409 that keeps the SQL out of the body', () => {
    const dbError = caught(insert('c2', 'contoso.example'));
    const error = conflictError({
      resource: { objectType: 'Customer', id: 'c1', field: 'domain', value: 'contoso.example' },
      cause: dbError,
    });
    const body = error.toBody({ source: 'PartnerFD' });
    assert.deepEqual(validateErrorBody(body), []);
    assert.equal(error.cause, dbError);
    assert.doesNotMatch(JSON.stringify(body), /UNIQUE|constraint|customer\.domain|INSERT/i);
    assert.equal(body.description, 'A Customer with domain "contoso.example" already exists.');
  });
});

describe('isUniqueViolation with other drivers and wrappers', () => {
  it('recognizes PostgreSQL 23505 and MySQL ER_DUP_ENTRY', () => {
    assert.equal(
      isUniqueViolation(Object.assign(new Error('duplicate key'), { code: '23505' })),
      true,
    );
    assert.equal(
      isUniqueViolation(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' })),
      true,
    );
    assert.equal(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' })), false);
  });

  it('follows the cause chain, and survives a cycle', () => {
    const driver = Object.assign(new Error('dup'), { code: '23505' });
    assert.equal(
      isUniqueViolation(new Error('query failed', { cause: new Error('x', { cause: driver }) })),
      true,
    );
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(isUniqueViolation(a), false);
  });

  it('is false for non-errors', () => {
    for (const value of [null, undefined, 'SQLITE_CONSTRAINT_UNIQUE', 23505, {}, new Error('x')]) {
      assert.equal(isUniqueViolation(value), false);
    }
  });
});

describe('conflictError', () => {
  it('is a 409 with the resource first in data, then extra details', () => {
    const error = conflictError({
      code: 800060,
      resource: { objectType: 'Order', id: 'o1' },
      data: ['check the order history'],
    });
    assert.ok(isApiError(error));
    assert.equal(error.status, 409);
    const body = error.toBody();
    assert.equal(body.code, '800060');
    assert.deepEqual(body.data, [{ objectType: 'Order', id: 'o1' }, 'check the order history']);
    assert.equal(body.description, 'The request conflicts with Order o1.');
    assert.deepEqual(validateErrorBody(body), []);
  });

  it('accepts several resources and a description of its own', () => {
    const resources = [
      { objectType: 'Subscription', id: 's1' },
      { objectType: 'Subscription', id: 's2' },
    ];
    const body = conflictError({
      description: 'Two subscriptions share this name.',
      resource: resources,
    }).toBody();
    assert.deepEqual(body.data, resources);
    assert.equal(body.description, 'Two subscriptions share this name.');
  });

  it('has a generic description and no data when nothing is given', () => {
    const body = conflictError().toBody();
    assert.equal(body.code, '409');
    assert.equal(body.data, undefined);
    assert.deepEqual(validateErrorBody(body), []);
  });

  it('keeps a huge value out of the description', () => {
    const body = conflictError({
      resource: { objectType: 'Customer', field: 'domain', value: 'x'.repeat(10_000) },
    }).toBody();
    assert.ok(body.description.length < 300);
    assert.deepEqual(validateErrorBody(body), []);
  });
});
