// Exercise files: every built-in one is valid; a broken file is refused with file:line:column and the field.
import { describe, expect, it } from 'vitest';
import { catalogFiles, loadCatalog } from '../../../src/exercise/catalog';
import { ExerciseFileError, parseExercise } from '../../../src/exercise/load';

const VALID = `id: tiny
title: Tiny
level: 1
minutes: 1
paper: "§5.2"
cluster: {nodes: 3}
intro: hi
steps:
  - id: one
    text: do it
    goal: {leader: {}}
    solution:
      - wait: {until: {leader: {}}}
    withinMs: 1000
`;

function problems(text: string): string[] {
  try {
    parseExercise(text, 'ex.yaml');
  } catch (error) {
    if (error instanceof ExerciseFileError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('exercise files', () => {
  it('parses a valid file', () => {
    expect(parseExercise(VALID, 'ex.yaml').steps[0]?.goal).toEqual({ leader: {} });
  });

  it('names the line, the column and the field of each problem', () => {
    expect(problems(VALID.replace('cluster: {nodes: 3}', 'cluster: {nodes: 3, colour: red}'))).toEqual(['ex.yaml:6:10: cluster: unknown key "colour"']);
    expect(problems(VALID.replace('goal: {leader: {}}', 'goal: {leader: {nod: S1}}'))).toEqual(['ex.yaml:11:20: steps.0.goal.leader: unknown key "nod"']);
    expect(problems(VALID.replace('level: 1', 'level: 7'))[0]).toMatch(/^ex\.yaml:3:8: level: /);
    expect(problems(VALID.replace('      - wait: {until: {leader: {}}}', '      - crash: S12'))[0]).toMatch(/^ex\.yaml:13:\d+: steps\.0\.solution\.0\.crash: /);
    expect(problems(VALID.replace('    withinMs: 1000\n', ''))[0]).toMatch(/^ex\.yaml:9:\d+: steps\.0\.withinMs: /);
  });

  it('reads the membership and leadership-transfer actions, and names the field of a bad one', () => {
    const solution = '      - add-server: true\n      - transfer-leadership: S4\n      - remove-server: follower\n      - promote-server: S4\n';
    const parsed = parseExercise(VALID.replace('      - wait: {until: {leader: {}}}\n', solution), 'ex.yaml');
    expect(parsed.steps[0]?.solution).toEqual([{ 'add-server': true }, { 'transfer-leadership': 'S4' }, { 'remove-server': 'follower' },
      { 'promote-server': 'S4' }]);
    // S4 exists once add-server has run; S5 would need a second one.
    expect(problems(VALID.replace('      - wait: {until: {leader: {}}}\n', solution.replace('promote-server: S4', 'promote-server: S5')))[0])
      .toMatch(/names S5, but the cluster has 3 servers and 1 added by add-server so far/);
    expect(problems(VALID.replace('      - wait: {until: {leader: {}}}', '      - transfer-leadership: S0'))[0])
      .toMatch(/^ex\.yaml:13:\d+: steps\.0\.solution\.0\.transfer-leadership: /);
  });

  it('refuses conditions nested deeper than six levels', () => {
    const deep = 'goal: {not: {not: {not: {not: {not: {not: {leader: {}}}}}}}}';
    expect(problems(VALID.replace('goal: {leader: {}}', deep))[0]).toMatch(/steps\.0\.goal: conditions nest at most 6 deep/);
    expect(problems(VALID.replace('goal: {leader: {}}', 'goal: {not: {not: {not: {not: {not: {leader: {}}}}}}}'))).toEqual([]);
  });

  it('refuses a server the cluster does not have, a repeated step id, and broken YAML', () => {
    expect(problems(VALID.replace('goal: {leader: {}}', 'goal: {leader: {node: S4}}'))[0]).toMatch(/names S4, but the cluster has 3 servers/);
    expect(problems(VALID.replace('steps:\n', `steps:\n  - id: one\n    text: t\n    goal: {leader: {}}\n    solution: [{heal: true}]\n    withinMs: 100\n`))[0])
      .toMatch(/step id "one" is used twice/);
    expect(problems('id: x\n  bad: [\n')[0]).toMatch(/^ex\.yaml:\d+:\d+: /);
  });

  it('ships only valid exercises, with unique ids', () => {
    expect(catalogFiles('exercises').length).toBeGreaterThan(0);
    const ids = loadCatalog('exercises').map((exercise) => exercise.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
