// Exercise progress in the browser's storage: per exercise, the step reached and whether it was ever finished.
// Read defensively: storage is shared with older versions and with people editing it by hand.
import { z } from 'zod';

const STORAGE_KEY = 'raft-lab.exercise-progress.v1';
const MAX_ENTRIES = 200;

export interface ExerciseProgress {
  readonly step: number;
  readonly done: boolean;
}

const progressSchema = z.record(z.string().max(64), z.object({ step: z.number().int().min(0).max(100), done: z.boolean() }));

export function readProgress(): Readonly<Record<string, ExerciseProgress>> {
  try {
    const text = window.localStorage.getItem(STORAGE_KEY);
    if (text === null) return {};
    const parsed = progressSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {}; // no storage (private mode) or junk in it: start afresh
  }
}

export function writeProgress(progress: Readonly<Record<string, ExerciseProgress>>): void {
  try {
    const entries = Object.entries(progress).slice(-MAX_ENTRIES);
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // Storage full or unavailable: progress lasts for this session only.
  }
}
