// kill -9 of the leader: the others elect a new leader in a higher term, and no write the cluster acknowledged is
// lost, neither from the reads nor from any node's log, including the old leader's once it is back.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientResult } from '../../../src/protocol/lab-api';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, putOf } from './cluster-harness';

afterEach(closeAllLabs);

const WRITES_BEFORE = 8;
const WRITES_AFTER = 8;

interface Acknowledged { readonly key: string; readonly value: string; readonly index: number }

async function putAll(lab: ClusterLab, prefix: string, count: number): Promise<Acknowledged[]> {
  const acknowledged: Acknowledged[] = [];
  for (let i = 0; i < count; i += 1) {
    const key = `${prefix}-${i}`;
    const value = `${prefix}-value-${i}`;
    const result: ClientResult = await lab.put(key, value);
    expect(result, `put ${key}`).toMatchObject({ status: 'ok' });
    expect(result.index, `index of put ${key}`).not.toBeNull();
    acknowledged.push({ key, value, index: result.index ?? 0 });
  }
  return acknowledged;
}

describe('crash of the leader (SIGKILL)', () => {
  it('elects a new leader in a higher term and loses no acknowledged write', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const oldLeader = await lab.waitForLeader();
    const before = await putAll(lab, 'before', WRITES_BEFORE);

    await lab.controller.crashNode(oldLeader.id);
    expect((await lab.node(oldLeader.id)).status).toBe('crashed');
    const survivors = (await lab.snapshot()).nodes.map((node) => node.id).filter((id) => id !== oldLeader.id);
    const newLeader = await lab.waitForLeader({ among: survivors, minTerm: oldLeader.term + 1 });
    expect(newLeader.id).not.toBe(oldLeader.id);
    expect(newLeader.term).toBeGreaterThan(oldLeader.term);

    const after = await putAll(lab, 'after', WRITES_AFTER);
    await lab.controller.restartNode(oldLeader.id);
    await lab.waitForLeader({ minTerm: newLeader.term });

    const acknowledged = [...before, ...after];
    for (const { key, value } of acknowledged) {
      expect(await lab.get(key), `get ${key}`).toMatchObject({ status: 'ok', value });
    }
    // Every node, the old leader included, ends up with each acknowledged entry at the index it was acknowledged at.
    const ids = (await lab.snapshot()).nodes.map((node) => node.id);
    for (const id of ids) {
      const missing = async (): Promise<Acknowledged[]> => {
        const log = await lab.log(id);
        return acknowledged.filter(({ key, value, index }) => {
          const put = putOf(log[index - 1]);
          return log[index - 1]?.index !== index || put?.key !== key || put.value !== value;
        });
      };
      await eventually(async () => ((await missing()).length === 0 ? true : null), CLUSTER_DEADLINE_MS,
        `S${id}'s log to hold every acknowledged entry`,
        async () => `missing ${(await missing()).map((entry) => `${entry.key}@${entry.index}`).join(', ')}`);
      await eventually(async () => {
        const kv = (await lab.controller.getNodeDetail(id)).kv;
        return acknowledged.every(({ key, value }) => kv[key] === value) ? true : null;
      }, CLUSTER_DEADLINE_MS, `S${id} to apply every acknowledged write`);
    }
  });
});
