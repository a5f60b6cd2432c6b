/** --redis: two emulators sharing one Redis share each partner's rate-limit budget. */

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '@apifault/emulator';
import { tempDir } from './helpers/emulator.js';
import { redisSkipReason, startRedis } from './helpers/redis.js';

const skip = redisSkipReason();

describe('rate limit shared through Redis', { skip }, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const emulators: RunningEmulator[] = [];
  const dir = tempDir();

  before(async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) {
      emulators.push(
        // One database file for both, as a fleet would share it: same data, same token secret.
        await startEmulator({
          db: join(dir, 'shared.db'),
          port: 0,
          log: false,
          redis: redis.url,
          rateLimit: { limit: 10, windowSeconds: 60 },
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admits exactly the limit across both processes, then answers 429', async () => {
    const [a, b] = emulators as [RunningEmulator, RunningEmulator];
    const token = await a.token();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const target = i % 2 === 0 ? a : b;
      const res = await fetch(`${target.url}/v1/customers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.match(
          ((await res.json()) as { message: string }).message,
          /^Rate limit is exceeded\. Try again in [1-9]\d* seconds\.$/,
        );
        assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      } else {
        await res.arrayBuffer();
      }
    }
    assert.equal(statuses.filter((s) => s === 200).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 4);
  });
});
