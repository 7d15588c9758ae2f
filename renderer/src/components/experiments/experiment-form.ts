// The Experiments form as plain data and its conversion to a spec the lab accepts (the same schema the lab checks),
// with errors in words.
import {
  DEFAULT_CLIENTS_SPEC, DEFAULT_FIG16_SPEC, PAPER_RANDOMNESS_RANGES, PAPER_SCALE_RANGES, experimentSpecSchema, rangeLabel,
  type ExperimentSpec,
} from '../../../../src/protocol/experiments';

export interface ExperimentDraft {
  kind: 'fig16' | 'clients';
  nodes: number;
  trials: number;
  /** Range labels ("150-300") ticked. */
  ranges: string[];
  delayMinMs: number;
  delayMaxMs: number;
  capSeconds: number;
  seed: number;
  /** "1,2,4,8". */
  clients: string;
  seconds: number;
  vsEtcd: boolean;
}

/** Every line of Figure 16 once, top graph first (150-300 is in both graphs). */
export const RANGE_CHOICES: readonly string[] = [...new Set([...PAPER_RANDOMNESS_RANGES, ...PAPER_SCALE_RANGES].map(rangeLabel))];

export function defaultDraft(): ExperimentDraft {
  return {
    kind: 'fig16', nodes: DEFAULT_FIG16_SPEC.nodes, trials: DEFAULT_FIG16_SPEC.trials, ranges: DEFAULT_FIG16_SPEC.ranges.map(rangeLabel),
    delayMinMs: 0, delayMaxMs: 0, capSeconds: DEFAULT_FIG16_SPEC.capMs / 1000, seed: DEFAULT_FIG16_SPEC.seed,
    clients: DEFAULT_CLIENTS_SPEC.clients.join(','), seconds: DEFAULT_CLIENTS_SPEC.seconds, vsEtcd: false,
  };
}

export function draftToSpec(draft: ExperimentDraft): { ok: true; spec: ExperimentSpec } | { ok: false; error: string } {
  const candidate = draft.kind === 'fig16'
    ? { kind: 'fig16', nodes: draft.nodes, trials: draft.trials,
      ranges: RANGE_CHOICES.filter((label) => draft.ranges.includes(label)).map((label) => label.split('-').map(Number)),
      networkDelayMs: [draft.delayMinMs, draft.delayMaxMs], capMs: Math.round(draft.capSeconds * 1000), seed: draft.seed }
    : { kind: 'clients', nodes: draft.kind === 'clients' ? draft.nodes : 3,
      clients: draft.clients.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number),
      seconds: draft.seconds, vsEtcd: draft.vsEtcd };
  const parsed = experimentSpecSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, spec: parsed.data };
  const words: Record<string, string> = { nodes: 'servers', trials: 'trials', ranges: 'timeout ranges', networkDelayMs: 'network delay',
    capMs: 'cap', seed: 'seed', clients: 'client counts', seconds: 'seconds per point' };
  const issue = parsed.error.issues[0];
  const field = words[String(issue?.path[0] ?? '')] ?? 'the form';
  return { ok: false, error: `Check ${field}: ${issue?.message ?? 'invalid'}` };
}

/** How long a run should take, roughly, before it starts (a trial takes ~1.5 s on this lab's 2-core reference machine). */
export function roughDurationS(spec: ExperimentSpec): number {
  return spec.kind === 'fig16' ? spec.trials * spec.ranges.length * 1.5 : spec.clients.length * (spec.seconds + 1) * (spec.vsEtcd ? 2 : 1);
}
