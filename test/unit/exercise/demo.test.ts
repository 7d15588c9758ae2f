// Demo files: the same family as exercises (one schema module); every built-in demo is valid and steps from a seed.
import { describe, expect, it } from 'vitest';
import { catalogFiles, loadDemos } from '../../../src/exercise/catalog';
import { ExerciseFileError, parseDemo } from '../../../src/exercise/load';
import { demoClusterSpec } from '../../../src/protocol/exercise/demo-player';
import { inTeachingOrder } from '../../../src/protocol/exercise/schema';

const DEMO = `kind: demo
id: tiny
title: Tiny
minutes: 1
cluster: {nodes: 3}
steps:
  - id: one
    narration: hello
    until: {leader: {}}
`;

describe('demo files', () => {
  it('parses a demo and always runs it paused from a seed', () => {
    const demo = parseDemo(DEMO, 'demo.yaml');
    expect(demoClusterSpec(demo.cluster)).toEqual({ nodes: 3, startPaused: true, timerSeed: 1 });
    expect(demoClusterSpec({ nodes: 5, timerSeed: 9 })).toMatchObject({ startPaused: true, timerSeed: 9 });
  });

  it('refuses an exercise field in a demo, with its line', () => {
    expect(() => parseDemo(DEMO.replace('    narration: hello', '    narration: hello\n    withinMs: 5'), 'demo.yaml'))
      .toThrow(ExerciseFileError);
    try {
      parseDemo(DEMO.replace('    narration: hello', '    narration: hello\n    withinMs: 5'), 'demo.yaml');
    } catch (error) {
      expect((error as ExerciseFileError).problems[0]).toMatch(/^demo\.yaml:7:5: steps\.0: unknown key "withinMs"/);
    }
  });

  it('ships only valid demos, with unique ids', () => {
    expect(catalogFiles('demos').length).toBeGreaterThan(0);
    const ids = loadDemos().map((demo) => demo.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists the built-in demos in teaching order, each with its own place in it', () => {
    const demos = loadDemos();
    expect(demos.slice(0, 3).map((demo) => demo.id)).toEqual(['first-election', 'log-replication', 'leader-crash']);
    const orders = demos.map((demo) => demo.order);
    expect(orders.every((order) => order !== undefined)).toBe(true);
    expect(new Set(orders).size).toBe(orders.length);
    expect(orders).toEqual([...orders].sort((a, b) => (a ?? 0) - (b ?? 0)));
    // Not the file names' order: "election-restriction" sorts first by name, and comes after the leader crash.
    expect(demos.map((demo) => demo.id).indexOf('election-restriction')).toBeGreaterThan(2);
  });

  it('puts demos without an order after the ordered ones, keeping their own order', () => {
    const demos = [{ id: 'b' }, { id: 'z', order: 20 }, { id: 'a' }, { id: 'y', order: 10 }];
    expect(inTeachingOrder(demos).map((demo) => demo.id)).toEqual(['y', 'z', 'b', 'a']);
  });

  it('accepts a demo file without an order and refuses a bad one, with its line', () => {
    expect(parseDemo(DEMO, 'demo.yaml').order).toBeUndefined();
    expect(parseDemo(DEMO.replace('minutes: 1', 'minutes: 1\norder: 15'), 'demo.yaml').order).toBe(15);
    expect(() => parseDemo(DEMO.replace('minutes: 1', 'minutes: 1\norder: first'), 'demo.yaml')).toThrow(/demo\.yaml:5:\d+: order/);
    expect(() => parseDemo(DEMO.replace('minutes: 1', 'minutes: 1\norder: 0'), 'demo.yaml')).toThrow(/order/);
  });
});
