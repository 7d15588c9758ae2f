import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogDir } from '../../../src/exercise/catalog';
import { LabCatalog } from '../../../src/lab/lab-catalog';

describe('LabCatalog', () => {
  const made: string[] = [];
  afterEach(() => { for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true }); });

  it('lists the built-in exercises with how each fits a student\'s own Raft, and finds one by id', () => {
    const catalog = new LabCatalog(undefined);
    const summaries = catalog.listExercises();
    expect(summaries.map((summary) => summary.id)).toContain('check-quorum');
    expect(summaries.every((summary) => summary.ownRaft !== undefined)).toBe(true);
    expect(catalog.getExercise('check-quorum').id).toBe('check-quorum');
  });

  it('says which id it could not find', () => {
    const catalog = new LabCatalog(undefined);
    expect(() => catalog.getExercise('no-such-exercise')).toThrow('there is no exercise "no-such-exercise"');
    expect(() => catalog.getDemo('no-such-demo')).toThrow('there is no demo "no-such-demo"');
  });

  it('reads the demos beside a given exercises directory, and sees a file removed without a restart', () => {
    const root = mkdtempSync(join(tmpdir(), 'raft-lab-catalog-'));
    made.push(root);
    cpSync(catalogDir('exercises'), join(root, 'exercises'), { recursive: true });
    cpSync(catalogDir('demos'), join(root, 'demos'), { recursive: true });
    const catalog = new LabCatalog(join(root, 'exercises'));
    const demos = catalog.listDemos();
    expect(demos.length).toBeGreaterThan(0);
    const first = demos[0]!;
    expect(catalog.getDemo(first.id).id).toBe(first.id);
    rmSync(join(root, 'demos'), { recursive: true });
    expect(catalog.listDemos()).toEqual([]);
  });
});
