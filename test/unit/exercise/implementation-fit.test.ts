// Which exercises run on a student's own Raft, from the exercise file alone: goals and solutions made of messages,
// client results, statuses and workload verdicts need nothing more; roles and terms need raft_lab_state; the lab's
// Raft events, logs' KV commands, the safety monitor, planted bugs and the lab's timers need the lab's own Raft.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/exercise/catalog';
import { describeFit, implementationFit } from '../../../src/protocol/exercise/implementation-fit';
import { exerciseSchema, type Exercise } from '../../../src/protocol/exercise/schema';

function exercise(steps: readonly object[], cluster: object = {}): Exercise {
  return exerciseSchema.parse({ id: 'x', title: 'x', level: 1, minutes: 1, paper: '§5', intro: 'x', cluster: { nodes: 3, ...cluster },
    steps: steps.map((step, i) => ({ id: `s${i}`, text: 'x', withinMs: 1000, ...step })) });
}

describe('an exercise on a student\'s own Raft', () => {
  it('runs when its goals and solutions need only messages, client results, statuses and verdicts', () => {
    const fit = implementationFit(exercise([
      { goal: { all: [{ message: { type: 'append_entries', to: 'S2' } }, { status: { node: 'S3', is: 'crashed' } }] },
        solution: [{ crash: 'S3' }, { wait: { until: { message: { to: 'S2' } } } }] },
      { goal: { any: [{ client: { op: 'put', outcome: 'ok' } }, { not: { linearizable: false } }] },
        solution: [{ put: { key: '1', value: '2', via: 'S1' } }, { workload: { clients: 2, seconds: 1 } }] },
    ]));
    expect(fit).toEqual({ need: 'outside', reasons: [] });
    expect(describeFit(fit)).toMatch(/^runs on your own Raft/);
  });

  it('needs raft_lab_state when a goal or a wait asks who leads, or an action names the leader or a follower', () => {
    for (const step of [
      { goal: { leader: {} }, solution: [{ wait: { ms: 10 } }] },
      { goal: { not: { role: { node: 'S1', is: 'candidate' } } }, solution: [{ wait: { ms: 10 } }] },
      { goal: { status: { node: 'S1', is: 'crashed' } }, solution: [{ wait: { until: { leader: {} } } }, { crash: 'S1' }] },
      { goal: { status: { node: 'S1', is: 'crashed' } }, solution: [{ crash: 'leader' }] },
      { goal: { client: { op: 'get', outcome: 'ok' } }, solution: [{ get: { key: '1', via: 'follower' } }] },
    ]) {
      const fit = implementationFit(exercise([step]));
      expect(fit.need, JSON.stringify(step)).toBe('state');
      expect(describeFit(fit)).toMatch(/raft_lab_state/);
    }
  });

  it('needs the lab\'s own Raft to change membership or transfer leadership (Maelstrom\'s protocol has neither)', () => {
    for (const [action, why] of [[{ 'add-server': true }, /membership/], [{ 'remove-server': 'S2' }, /membership/],
      [{ 'promote-server': 'S3' }, /membership/], [{ 'transfer-leadership': 'S2' }, /transfers leadership/]] as const) {
      const fit = implementationFit(exercise([{ goal: { status: { node: 'S1', is: 'running' } }, solution: [action] }]));
      expect(fit.need, JSON.stringify(action)).toBe('built-in');
      expect(describeFit(fit)).toMatch(why);
    }
  });

  it('needs the lab\'s own Raft for its events, logs, monitor, timers, bugs and extensions, and says why', () => {
    const cases: [object, object, RegExp][] = [
      [{ goal: { event: { type: 'became-leader' } }, solution: [{ wait: { ms: 1 } }] }, {}, /Raft events \(became-leader\)/],
      [{ goal: { committed: { key: 'x', value: '1', on: 'all' } }, solution: [{ wait: { ms: 1 } }] }, {}, /commands in the servers' logs/],
      [{ goal: { stored: { key: 'x', value: '1', on: 'S1' } }, solution: [{ wait: { ms: 1 } }] }, {}, /commands in the servers' logs/],
      [{ goal: { violation: {} }, solution: [{ wait: { ms: 1 } }] }, {}, /safety monitor/],
      [{ goal: { message: { type: 'RequestVote' } }, solution: [{ wait: { ms: 1 } }] }, {}, /lab's Raft's RequestVote messages/],
      [{ goal: { message: {} }, solution: [{ timeout: 'S1' }] }, {}, /time out now/],
      [{ goal: { message: {} }, solution: [{ freeze: true }, { step: 3 }] }, {}, /timer by timer/],
      [{ goal: { message: {} }, solution: [{ wait: { ms: 1 } }] }, { bugs: ['commit-previous-term'] }, /plants bugs/],
      [{ goal: { message: {} }, solution: [{ wait: { ms: 1 } }] }, { preVote: true }, /pre-vote/],
      [{ goal: { message: {} }, solution: [{ wait: { ms: 1 } }] }, { startPaused: true }, /starts paused/],
      [{ goal: { message: {} }, solution: [{ wait: { ms: 1 } }] }, { membershipMode: 'joint' }, /membership by joint consensus/],
    ];
    for (const [step, cluster, why] of cases) {
      const fit = implementationFit(exercise([step], cluster));
      expect(fit.need, JSON.stringify([step, cluster])).toBe('built-in');
      expect(describeFit(fit)).toMatch(/^needs the lab's own Raft: it /);
      expect(describeFit(fit)).toMatch(why);
    }
  });

  it('of the built-in exercises: from-outside runs on any, leader-crash with raft_lab_state, first-election not', () => {
    const fits = new Map(loadCatalog().map((found) => [found.id, implementationFit(found).need]));
    expect(fits.get('from-outside')).toBe('outside');
    expect(fits.get('leader-crash')).toBe('state');
    expect(fits.get('first-election')).toBe('built-in');
    expect(fits.get('find-the-bug-1')).toBe('built-in');
  });
});

describe('the reasons', () => {
  it('put what needs the lab\'s own Raft before raft_lab_state, whatever came first', () => {
    const fit = implementationFit(exercise([
      { goal: { leader: {} }, solution: [{ wait: { ms: 1 } }] },
      { goal: { message: {} }, solution: [{ timeout: 'leader' }] },
    ]));
    expect(fit.need).toBe('built-in');
    expect(fit.reasons[0]).toMatch(/time out now/);
    expect(fit.reasons[1]).toMatch(/raft_lab_state/);
  });
});
