// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import type { WorkloadReport } from '../../../src/protocol/lab-api';
import { EMPTY_WORKLOAD, fakeLab, okResult, snapshot, nodeView } from './lab-fixtures';

describe('commands store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('reports a failed command in the errors list, labelled with what was attempted, and carries on', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    lab.api.crashNode.mockRejectedValueOnce(new Error('S2 is not running'));
    store.attach(lab.api);
    await store.crashNode(2);
    expect(store.errors.map((error) => error.message)).toEqual(['Crashing S2 failed: S2 is not running']);
    expect(store.errors[0]?.source).toBe('command');
    expect(store.busy).toBe(false);
    await store.crashNode(3);
    expect(lab.api.crashNode).toHaveBeenLastCalledWith(3);
    expect(store.errors).toHaveLength(1);
  });

  it('says so when a command is given before the lab is connected, instead of doing nothing', async () => {
    const store = useCommandsStore();
    await store.healAll();
    expect(store.errors[0]?.message).toMatch(/Healing the network: not connected/);
  });

  it('folds a repeated error into one entry with a count, and keeps the list bounded', async () => {
    const store = useCommandsStore();
    for (let i = 0; i < 3; i += 1) store.reportError('S1 failed');
    expect(store.errors).toHaveLength(1);
    expect(store.errors[0]?.count).toBe(3);
    for (let i = 0; i < 40; i += 1) store.reportError(`error ${i}`);
    expect(store.errors.length).toBeLessThanOrEqual(12);
    expect(store.errors.at(-1)?.message).toBe('error 39');
  });

  it('turns error events from the lab into errors, naming a server failure as such', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    store.attach(lab.api);
    lab.emit([
      { seq: 1, atNs: 1, type: 'error', node: 2, message: 'S2 failed (exited with code 1): boom' },
      { seq: 2, atNs: 2, type: 'node-status', node: 2, status: 'crashed', pid: null, reason: 'exited' },
      { seq: 3, atNs: 3, type: 'error', node: null, message: 'control socket failed' },
    ]);
    expect(store.errors.map((error) => [error.source, error.message])).toEqual([
      ['node', 'S2 failed (exited with code 1): boom'],
      ['lab', 'control socket failed'],
    ]);
    store.dismissError(store.errors[0]?.id ?? -1);
    expect(store.errors.map((error) => error.message)).toEqual(['control socket failed']);
  });

  it('a workload poll answered after the stop does not wipe the verdict the stop returned (seen in an e2e run)', async () => {
    const checked: WorkloadReport = { ...EMPTY_WORKLOAD, running: false, ops: 66, ok: 66,
      verdict: { linearizable: true, timedOut: false, violation: null } };
    const unchecked: WorkloadReport = { ...checked, verdict: null };
    for (const pollSent of ['before the stop', 'while the stop runs'] as const) {
      setActivePinia(createPinia());
      const store = useCommandsStore();
      const lab = fakeLab();
      store.attach(lab.api);
      let answerPoll: (report: WorkloadReport) => void = () => undefined;
      lab.api.getWorkload.mockImplementationOnce(() => new Promise((resolve) => { answerPoll = resolve; }));
      let answerStop: (report: WorkloadReport) => void = () => undefined;
      lab.api.stopWorkload.mockImplementationOnce(() => new Promise((resolve) => { answerStop = resolve; }));
      let poll: Promise<void> = Promise.resolve();
      if (pollSent === 'before the stop') poll = store.refreshWorkload();
      const stop = store.stopWorkload();
      if (pollSent === 'while the stop runs') poll = store.refreshWorkload();
      await flushPromises();
      answerStop(checked);
      await stop;
      answerPoll(unchecked); // the poll's answer comes last, describing the workload before it was checked
      await poll;
      expect(store.workload?.verdict, pollSent).toEqual(checked.verdict);
    }
  });

  it('marks a command pending while it runs', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    let finish: () => void = () => undefined;
    lab.api.pauseNode.mockImplementationOnce(() => new Promise<void>((resolve) => { finish = resolve; }));
    store.attach(lab.api);
    const done = store.pauseNode(1);
    expect(store.isPending('pause:1')).toBe(true);
    expect(store.isPending('pause:2')).toBe(false);
    finish();
    await done;
    expect(store.isPending('pause:1')).toBe(false);
  });

  it('isolates a server as a one-node group and refreshes the link table afterwards', async () => {
    const store = useCommandsStore();
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)], {
      linkFaults: { '1->2': { dropProbability: 0.5, delayMs: 0, jitterMs: 0, duplicateProbability: 0, blocked: false } },
    }));
    store.attach(lab.api);
    await store.isolateNode(2);
    expect(lab.api.setPartition).toHaveBeenCalledWith([[2]]);
    expect(store.linkFaults['1->2']?.dropProbability).toBe(0.5);
  });

  it('cuts asymmetric links by clearing the partition, then blocking each directed link', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    store.attach(lab.api);
    await store.blockLinks([[1, 2]], [1, 2, 3]);
    expect(lab.api.setPartition).toHaveBeenCalledWith([[1, 2, 3]]);
    expect(lab.api.setLinkFaults).toHaveBeenCalledWith(1, 2, { blocked: true });
  });

  it('keeps each client request with its answer, or with the reason the call failed', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    lab.api.clientRequest.mockResolvedValueOnce(okResult({ value: 'v1', latencyMs: 4 }));
    lab.api.clientRequest.mockRejectedValueOnce(new Error('the connection to the lab was lost'));
    store.attach(lab.api);
    await store.clientRequest({ op: 'get', key: 'x' });
    expect(store.lastClientOutcome?.result?.value).toBe('v1');
    const failed = await store.clientRequest({ op: 'put', key: 'x', value: '2' });
    expect(failed.callError).toBe('the connection to the lab was lost');
    expect(store.clientOutcomes).toHaveLength(2);
    expect(store.errors.at(-1)?.message).toMatch(/Client put x failed/);
  });

  it('reports whether the lab accepted a new time scale', async () => {
    const store = useCommandsStore();
    const lab = fakeLab();
    store.attach(lab.api);
    expect(await store.setTimeScale(10)).toBe(true);
    lab.api.setTimeScale.mockRejectedValueOnce(new Error('not implemented'));
    expect(await store.setTimeScale(20)).toBe(false);
    await flushPromises();
    expect(store.errors.at(-1)?.message).toBe('Setting slow motion to 20x failed: not implemented');
  });
});
