// `raft-lab demo run`: plays a classroom demo headless on real processes, step by step as an instructor would press
// Next, and checks that every step's `until` is reached (within its step budget). CI runs every built-in demo.
import { demoClusterSpec, playDemoStep } from '../protocol/exercise/demo-player';
import type { Demo } from '../protocol/exercise/schema';
import { describeEvent, LabSession } from './lab-session';
import { clusterSettingsOf } from '../protocol/exercise/cluster-settings';

/** A demo step never needs more wall time than this (each lab step takes milliseconds). */
const DEMO_STEP_DEADLINE_MS = 120_000;
const RECENT_EVENTS_SHOWN = 12;

export interface DemoOutcome {
  readonly id: string;
  readonly passed: boolean;
  /** The step that failed, why, and the last relevant events. */
  readonly failure: { readonly step: string; readonly error: string; readonly lastEvents: readonly string[] } | null;
}

export async function runDemo(demo: Demo, log: (line: string) => void): Promise<DemoOutcome> {
  const session = await LabSession.start(clusterSettingsOf(demoClusterSpec(demo.cluster)));
  try {
    for (const step of demo.steps) {
      const startedMs = performance.now();
      const context = session.actionContext(session.stepContext(), startedMs + DEMO_STEP_DEADLINE_MS);
      try {
        await playDemoStep(step, context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`FAIL ${demo.id} / ${step.id}: ${message}`);
        return { id: demo.id, passed: false, failure: { step: step.id, error: message, lastEvents: session.recent.slice(-RECENT_EVENTS_SHOWN).map(describeEvent) } };
      }
      log(`ok   ${demo.id} / ${step.id} (${Math.round(performance.now() - startedMs)} ms)`);
    }
    return { id: demo.id, passed: true, failure: null };
  } finally {
    await session.close();
  }
}
