import { describe, expect, it } from 'vitest';
import { CONTROL_PROTOCOL_VERSION, decodeLabToNode, encodeControlFrame } from '../../../src/protocol/control';
import { decodeNodeToLab } from '../../../src/protocol/control-schema';

const SECRET = 'a-secret-of-sixteen-or-more';
const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('control frames for fault tables', () => {
  const table = { outbound: {}, blockedFrom: [2] };

  it('a numbered fault table and its acknowledgement round-trip', () => {
    const faults = { v: CONTROL_PROTOCOL_VERSION, secret: SECRET, type: 'faults', faults: table, version: 7 } as const;
    expect(decodeLabToNode(encodeControlFrame(faults), SECRET)).toEqual({ ok: true, value: faults });
    const applied = { v: CONTROL_PROTOCOL_VERSION, secret: SECRET, type: 'faults-applied', node: 3, pid: 1234, version: 7 } as const;
    expect(decodeNodeToLab(encodeControlFrame(applied), SECRET)).toEqual({ ok: true, value: applied });
  });

  it('a table without a version (an older lab) is still accepted', () => {
    const decoded = decodeLabToNode(bytes({ v: CONTROL_PROTOCOL_VERSION, secret: SECRET, type: 'faults', faults: table }), SECRET);
    expect(decoded.ok).toBe(true);
  });

  it('rejects an acknowledgement with a bad version, a wrong secret or extra fields', () => {
    const good = { v: CONTROL_PROTOCOL_VERSION, secret: SECRET, type: 'faults-applied', node: 3, pid: 1234, version: 7 };
    for (const bad of [{ ...good, version: -1 }, { ...good, version: 1.5 }, { ...good, node: 0 }, { ...good, extra: true }]) {
      expect(decodeNodeToLab(bytes(bad), SECRET).ok).toBe(false);
    }
    expect(decodeNodeToLab(bytes(good), 'another-secret-of-sixteen')).toEqual({ ok: false, error: 'control frame with a wrong secret' });
  });
});

describe('the node configuration frame and the election timeout range', () => {
  const configure = (electionTimeoutMs: readonly [number, number]): Buffer => bytes({
    v: CONTROL_PROTOCOL_VERSION, secret: SECRET, type: 'configure',
    config: {
      members: { 1: 'tcp://127.0.0.1:5001', 2: 'tcp://127.0.0.1:5002', 3: 'tcp://127.0.0.1:5003' },
      electionTimeoutMs, heartbeatMs: 50, clock: { anchorNs: 0, labMs: 0, timeScale: 1, frozen: false },
      networkDelayMs: [0, 0], preVote: false, checkQuorum: false, bugs: [], randomSeed: 7,
      faults: { outbound: {}, blockedFrom: [] }, eventDetail: 'full',
    },
  });

  it('accepts a fixed timeout (min == max, Figure 16\'s 150-150 ms) and a range', () => {
    expect(decodeLabToNode(configure([150, 150]), SECRET).ok).toBe(true);
    expect(decodeLabToNode(configure([150, 300]), SECRET).ok).toBe(true);
  });

  it('refuses an inverted range at the wire, before the core would assert on it', () => {
    const decoded = decodeLabToNode(configure([300, 150]), SECRET);
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? '' : decoded.error).toMatch(/min must not exceed max/);
  });
});
