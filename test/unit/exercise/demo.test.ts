// Demo files: the same family as exercises (one schema module); every built-in demo is valid and steps from a seed.
import { describe, expect, it } from 'vitest';
import { catalogFiles, loadDemos } from '../../../src/exercise/catalog';
import { ExerciseFileError, parseDemo } from '../../../src/exercise/load';
import { demoClusterSpec } from '../../../src/protocol/exercise/demo-player';

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
});
