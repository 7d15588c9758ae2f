// The lab clock on real node processes: the network delay makes a message take lab time, a frozen cluster does
// nothing at all, stepping advances it one timer or one delivery at a time, "time out now" starts an election, and
// held messages can be delivered, dropped or duplicated by hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeView } from '../../../src/protocol/lab-api';
import { agreedLeader, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, describeNodes, eventually, isType } from './cluster-harness';

type MessageEvent = Extract<LabEvent, { type: 'message' }>;

afterEach(closeAllLabs);

const MAX_STEPS = 400;

/** Steps until `done` holds for the snapshot, at most MAX_STEPS times; returns the steps' descriptions. */
async function stepUntil(lab: ClusterLab, done: (nodes: readonly NodeView[]) => boolean): Promise<string[]> {
  const descriptions: string[] = [];
  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (done((await lab.snapshot()).nodes)) return descriptions;
    const result = await lab.controller.stepCluster();
    descriptions.push(result.description);
  }
  throw new Error(`not reached in ${MAX_STEPS} steps: ${await lab.describe()}\n${descriptions.slice(-20).join('\n')}`);
}

describe('the lab clock on real processes', () => {
  it('delays every peer message by the network delay, in lab time', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, networkDelayMs: [40, 60], timeScale: 2 });
    await lab.waitForLeader();
    const from = lab.mark();
    await eventually(() => (lab.eventsSince(from, isType('message')).filter((event) => event.direction === 'receive').length > 20 ? true : null),
      CLUSTER_DEADLINE_MS, 'twenty deliveries');
    const events = lab.eventsSince(from, isType('message'));
    const sends = new Map<string, MessageEvent>();
    for (const event of events) if (event.direction === 'send') sends.set(event.id, event);
    const delays = events.filter((event) => event.direction === 'receive' && sends.has(event.id))
      .map((event) => (event.atNs - (sends.get(event.id) as MessageEvent).atNs) / 1e6);
    expect(delays.length).toBeGreaterThan(5);
    // 40..60 lab ms at 2x slow motion: 80..120 real ms (plus a little scheduling).
    for (const delayMs of delays) expect(delayMs).toBeGreaterThanOrEqual(79);
    const send = [...sends.values()][0] as MessageEvent;
    expect((send.deliverAtLabMs ?? 0) - (send.sentAtLabMs ?? 0)).toBeGreaterThanOrEqual(40);
  });

  it('freezes: nothing changes; a forced timeout and steps elect a new leader; resumed, a put succeeds', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, networkDelayMs: [8, 15], timerSeed: 42 });
    await lab.waitForLeader();
    await lab.controller.freezeCluster();
    const frozen = await lab.snapshot();
    expect(frozen.clock?.frozen).toBe(true);
    // The leader as the freeze found it: the forced timeout below must start exactly the term after its term.
    const leader = agreedLeader(frozen);
    if (!leader) throw new Error(`the freeze found no leader every node follows: ${describeNodes(frozen.nodes)}`);
    const quietFrom = lab.mark();
    // Several election timeouts' worth of real time: a running cluster would send dozens of heartbeats.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(lab.eventsSince(quietFrom, (_event): _event is LabEvent => true)).toEqual([]);
    expect((await lab.snapshot()).nodes).toEqual(frozen.nodes);

    const follower = frozen.nodes.find((node) => node.id !== leader.id) as NodeView;
    await lab.controller.timeoutNode(follower.id);
    expect(await lab.node(follower.id)).toMatchObject({ role: 'candidate', term: leader.term + 1 });
    const steps = await stepUntil(lab, (nodes) => nodes.some((node) => node.id === follower.id && node.role === 'leader'));
    expect(steps.some((text) => /received RequestVote/.test(text))).toBe(true);
    expect(steps.some((text) => /received RequestVoteReply/.test(text))).toBe(true);

    await lab.controller.resumeCluster();
    expect((await lab.snapshot()).clock?.frozen).toBe(false);
    // The stepped election left a leader whose no-op is not yet committed: the put is sent once its term is
    // established, so that it checks the resumed cluster serves, not whether it races that term's first heartbeats.
    await lab.waitForLeader({ minTerm: leader.term + 1 });
    expect(await lab.put('after', 'resume')).toMatchObject({ status: 'ok' });
  });

  it('holds messages while frozen: a student delivers, duplicates and drops them by hand', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, networkDelayMs: [8, 15] });
    await lab.waitForLeader();
    await lab.controller.freezeCluster();
    // The leader as the freeze found it (on a loaded machine an election may have happened since waitForLeader, or
    // be under way: then steps play it out until someone leads).
    const newestLeader = (nodes: readonly NodeView[]) => nodes.filter((node) => node.role === 'leader' && node.status === 'running')
      .sort((a, b) => b.term - a.term)[0];
    await stepUntil(lab, (nodes) => newestLeader(nodes) !== undefined);
    const leader = newestLeader((await lab.snapshot()).nodes);
    if (!leader) throw new Error('no leader after stepping');
    const from = lab.mark();
    // Steps until the leader has sent two messages (its next heartbeats, which then wait at the followers); a step
    // may first deliver something held from before the freeze, and a follower's answer is not what is looked for.
    const leaderSends = () => lab.eventsSince(from, isType('message')).filter((event) => event.direction === 'send' && event.node === leader.id);
    await stepUntil(lab, () => leaderSends().length >= 2);
    const [first, second] = leaderSends();
    if (!first || !second) throw new Error('the leader sent no heartbeats');

    const beforeDuplicate = lab.mark();
    await lab.controller.heldMessage(first.message.to, first.id, 'duplicate');
    // The copy travels under its own id, announced as a send of the same message, so it can be watched on its own.
    const copy = lab.eventsSince(beforeDuplicate, isType('message')).find((event) => event.direction === 'send' && event.id.startsWith(`${first.id}+`));
    expect(copy?.message).toEqual(first.message);
    await lab.controller.heldMessage(first.message.to, first.id, 'deliver');
    await lab.controller.heldMessage(first.message.to, copy?.id ?? '', 'deliver');
    const received = lab.eventsSince(beforeDuplicate, isType('message')).filter((event) => event.direction === 'receive' && event.id.startsWith(first.id));
    expect(received.map((event) => event.id)).toEqual([first.id, copy?.id]);

    const beforeDrop = lab.mark();
    await lab.controller.heldMessage(second.message.to, second.id, 'drop');
    const dropped = lab.eventsSince(beforeDrop, isType('message')).filter((event) => event.direction === 'drop' && event.id === second.id);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.dropReason).toMatch(/by hand/);
    await expect(lab.controller.heldMessage(second.message.to, second.id, 'deliver')).rejects.toThrow(/not waiting/);
  });
});

describe('a stepped session from a paused start', () => {
  /** Starts paused with `timerSeed`, steps `count` times; what each step did and where every node ended. */
  async function steppedRun(timerSeed: number, count: number): Promise<{ steps: string[]; nodes: string[] }> {
    const lab = await ClusterLab.start({ nodeCount: 3, networkDelayMs: [8, 15], timerSeed, startPaused: true });
    expect((await lab.snapshot()).clock?.frozen).toBe(true);
    const steps: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const step = await lab.controller.stepCluster();
      steps.push(`${step.kind} S${String(step.node)} @${step.labMs.toFixed(3)}: ${step.description}`);
    }
    const nodes = (await lab.snapshot()).nodes.map((node) =>
      `S${node.id} ${node.role} term=${node.term} vote=${String(node.votedFor)} commit=${node.commitIndex} last=${node.lastLogIndex}`);
    await lab.close();
    return { steps, nodes };
  }

  it('goes through the same states when replayed with the same timer seed', async () => {
    const first = await steppedRun(7, 40);
    expect(first.nodes.some((node) => node.includes(' leader '))).toBe(true);
    const second = await steppedRun(7, 40);
    expect(second).toEqual(first);
  });
});

describe('a restarted server', () => {
  it('says which vote it recovered with its term', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id) as NodeView;
    await lab.controller.crashNode(follower.id);
    const from = lab.mark();
    await lab.controller.restartNode(follower.id);
    const alive = await lab.waitForEvent(from, (event): event is Extract<LabEvent, { type: 'node-status' }> =>
      event.type === 'node-status' && event.node === follower.id && event.status === 'running', 'the restarted server to report in');
    expect(alive.reason).toMatch(new RegExp(`recovered term \\d+ \\((voted for S\\d|no vote cast in it)`));
  });
});
