// The lab's control socket listens on loopback, where any local process can reach it. Only frames carrying the
// per-run secret count: a well-formed hello or events frame with a wrong secret is reported and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_PROTOCOL_VERSION, type NodeToLabFrame } from '../../../src/protocol/control';
import type { LabEvent } from '../../../src/protocol/events';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, isType, rawDealer } from './cluster-harness';

const WRONG_SECRET = 'not-the-secret-0123456789abcdef0123456789abcdef';

afterEach(closeAllLabs);

const encode = (frame: NodeToLabFrame): Buffer => Buffer.from(JSON.stringify(frame));

const rejection = (event: LabEvent): event is Extract<LabEvent, { type: 'error' }> =>
  event.type === 'error' && event.node === null && event.message.startsWith('rejected a control frame') &&
  event.message.includes('wrong secret');

describe('the control secret', () => {
  it('a hello and an events frame with a wrong secret are rejected and change nothing', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const target = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id);
    if (!target?.pid || !target.peerEndpoint) throw new Error('no running follower to impersonate');
    const before = await lab.snapshot();
    const attackedAt = lab.mark();

    // Everything about these frames is right (the node's id and real pid, schema-valid fields) except the secret.
    const hello: NodeToLabFrame = { v: CONTROL_PROTOCOL_VERSION, secret: WRONG_SECRET, type: 'hello', node: target.id, pid: target.pid,
      peerEndpoint: 'tcp://127.0.0.1:9', clientEndpoint: 'tcp://127.0.0.1:9', atNs: 1,
      recovered: { term: 99, lastIndex: 99, tornTailBytes: 0 } };
    const forged: NodeToLabFrame = { v: CONTROL_PROTOCOL_VERSION, secret: WRONG_SECRET, type: 'events', node: target.id, pid: target.pid,
      events: [{ type: 'node-state', atNs: 1, node: target.id, state: { role: 'leader', term: 99, votedFor: target.id,
        leaderId: target.id, commitIndex: 99, lastApplied: 99, lastLogIndex: 99, lastLogTerm: 99, electionDeadlineNs: null,
        progress: null } }] };
    const attacker = rawDealer(lab.controller.controlEndpoint);
    await attacker.send(encode(hello));
    await attacker.send(encode(forged));
    // Claiming the node's routing id as well must not let it in either.
    const spoofer = rawDealer(lab.controller.controlEndpoint, { routingId: `node-${target.id}` });
    await spoofer.send(encode(forged));

    // The spoofer's connection may be refused outright (its routing id is taken); the other two must be reported.
    await eventually(() => (lab.eventsSince(attackedAt, rejection).length >= 2 ? true : null), CLUSTER_DEADLINE_MS,
      'the lab to reject both forged frames', () => lab.eventsSince(attackedAt, isType('error')).map((event) => event.message).join('\n'));

    // Nothing changed: same nodes, same processes and endpoints, no term 99, no second leader, no new node.
    const after = await lab.snapshot();
    expect(after.nodes.map((node) => node.id)).toEqual(before.nodes.map((node) => node.id));
    for (const node of after.nodes) {
      const was = before.nodes.find((old) => old.id === node.id);
      expect(node).toMatchObject({ status: 'running', pid: was?.pid, peerEndpoint: was?.peerEndpoint });
      expect(node.term).toBeLessThan(99);
      expect(node.commitIndex).toBeLessThan(99);
    }
    const forgedEffects = lab.eventsSince(attackedAt, (event): event is LabEvent =>
      event.type === 'node-alive' || event.type === 'node-status' || (event.type === 'node-state' && event.state.term === 99));
    expect(forgedEffects).toEqual([]);
    expect((await lab.controller.getNodeDetail(target.id)).node.lastLogIndex).toBeLessThan(99);

    // The lab still commands the real node: a partition reaches it (it reports the messages it drops at the cut).
    const isolatedAt = lab.mark();
    await lab.controller.setPartition([[target.id]]);
    await lab.waitForEvent(isolatedAt, (event): event is LabEvent => event.type === 'message' && event.node === target.id &&
      event.direction === 'drop' && /blocked/.test(event.dropReason ?? ''), `S${target.id} to apply the partition the lab sent it`);
    await lab.controller.healAll();
    // All three, the healed one too: cut off, it may have timed out into a newer term, and on its return it deposes the
    // leader the other two agreed on; a put sent before that settles could end unknown for that reason alone.
    await lab.waitForLeader();
    expect(await lab.put('after-impostor', 'ok')).toMatchObject({ status: 'ok' });
  });
});
