// Runs one experiment at a time for the LabApi (startExperiment / getExperiment / cancelExperiment) and for the
// command line: on a lab of its own (a separate controller, separate node processes, nodes reporting only their
// state), so the app's cluster, its event stream and recorded sessions are not flooded by hundreds of kills. The
// app polls getExperiment for what it has not seen yet; the command line listens through onUpdate.
import type { ClientsRow, ExperimentSpec, ExperimentState, ExperimentStatus, Fig16RangeSummary, Fig16Row, MachineLoad } from '../../protocol/experiments';
import { experimentSpecSchema, idleExperimentState, MAX_FIG16_RANGES, MAX_FIG16_TRIALS } from '../../protocol/experiments';
import type { LabController } from '../controller';
import { ExperimentCancelled } from './cancellation';
import { etcdFor, runClientsSweep, sweepUnits } from './clients-sweep';
import { runFig16 } from './fig16';
import { machineLoad } from './machine-load';
import { ProgressClock } from './progress';

export type ControllerFactory = () => Promise<LabController>;

/** Bounded by the spec's limits; checked again here since the command line does not go through lab-methods. */
const MAX_ROWS = MAX_FIG16_TRIALS * MAX_FIG16_RANGES;
/** How long cancel waits for the run to close its cluster before it answers anyway. */
export const CANCEL_GRACE_MS = 10_000;
const MAX_NOTES = 50;

export class ExperimentRunner {
  private status: ExperimentStatus = 'idle';
  private spec: ExperimentSpec | null = null;
  private progress: ProgressClock | null = null;
  private fig16Rows: Fig16Row[] = [];
  private clientsRows: ClientsRow[] = [];
  private fig16Summary: Fig16RangeSummary[] = [];
  private notes: string[] = [];
  private loadAtStart: MachineLoad | null = null;
  private loadAtEnd: MachineLoad | null = null;
  private error: string | null = null;
  private abort: AbortController | null = null;
  private controller: LabController | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly createController: ControllerFactory, private readonly onUpdate: () => void = () => undefined) {}

  /** Starts a run and answers at once; the run goes on in the background. */
  start(spec: ExperimentSpec): ExperimentState {
    if (this.status === 'running') throw new Error('an experiment is already running; cancel it first');
    const checked = experimentSpecSchema.parse(spec);
    this.status = 'running';
    this.spec = checked;
    this.fig16Rows = [];
    this.clientsRows = [];
    this.fig16Summary = [];
    this.notes = [];
    this.error = null;
    this.loadAtStart = machineLoad();
    this.loadAtEnd = null;
    this.abort = new AbortController();
    const etcd = checked.kind === 'clients' ? etcdFor(checked) : null;
    this.progress = new ProgressClock(checked.kind === 'fig16' ? checked.trials * checked.ranges.length : sweepUnits(checked, etcd !== null));
    this.running = this.run(checked, etcd, this.abort.signal, this.progress);
    return this.state(0);
  }

  /** The state, with the rows from `fromRow` on. */
  state(fromRow = 0): ExperimentState {
    const from = Math.max(0, Math.floor(fromRow));
    const idle = idleExperimentState();
    return {
      status: this.status, spec: this.spec, progress: this.progress?.snapshot() ?? idle.progress, fromRow: from,
      rowCount: this.fig16Rows.length + this.clientsRows.length, fig16Rows: this.fig16Rows.slice(from),
      clientsRows: this.clientsRows.slice(from), fig16Summary: [...this.fig16Summary], notes: [...this.notes],
      loadAtStart: this.loadAtStart, loadAtEnd: this.loadAtEnd, error: this.error,
    };
  }

  /** Resolves when the current run (if any) has ended and its processes are gone. */
  async finished(): Promise<ExperimentState> {
    await this.running;
    return this.state(0);
  }

  async cancel(): Promise<ExperimentState> {
    if (this.status !== 'running') return this.state(0);
    // An experiment's cluster holds nothing worth a graceful stop: SIGKILL its nodes now, so a cancel is quick even
    // on a loaded machine (the run's own close then only tidies up).
    this.killAllNow();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => { timer = setTimeout(resolve, CANCEL_GRACE_MS); })]);
    clearTimeout(timer);
    return this.state(0);
  }

  async close(): Promise<void> {
    await this.cancel();
    await this.running;
  }

  /** Last resort from a process 'exit' hook: synchronous. */
  killAllNow(): void {
    this.abort?.abort();
    this.controller?.killAllNow();
  }

  private async run(spec: ExperimentSpec, etcd: string | null, signal: AbortSignal, progress: ProgressClock): Promise<void> {
    const note = (text: string): void => {
      if (this.notes.length < MAX_NOTES) this.notes.push(text);
      this.onUpdate();
    };
    // Every lab the run opens is remembered until the next one, so a cancel or the exit hook can kill its nodes.
    const openLab = async (): Promise<LabController> => {
      const controller = await this.createController();
      this.controller = controller;
      return controller;
    };
    try {
      if (spec.kind === 'fig16') {
        await runFig16(openLab, spec, progress, signal, {
          row: (row) => { if (this.fig16Rows.length < MAX_ROWS) this.fig16Rows.push(row); this.onUpdate(); },
          rangeDone: (summary) => { this.fig16Summary.push(summary); this.onUpdate(); },
          note,
        });
      } else {
        await runClientsSweep(await openLab(), spec, etcd, progress, signal, {
          row: (row) => { this.clientsRows.push(row); this.onUpdate(); },
          note,
        });
      }
      this.status = 'done';
    } catch (error) {
      if (error instanceof ExperimentCancelled || signal.aborted) this.status = 'cancelled';
      else {
        this.status = 'failed';
        this.error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      const last = this.controller;
      // Cancelled: nothing of the cluster is worth a graceful stop, and a node a trial was restarting as the cancel
      // came (after its SIGKILLs) would otherwise get its full grace period; on a loaded machine that made Ctrl-C
      // outlast the command's shutdown bound, which then exited 1 without writing the trials.
      if (this.status === 'cancelled') last?.killAllNow();
      await last?.close().catch(() => last.killAllNow());
      this.controller = null;
      this.loadAtEnd = machineLoad();
      progress.describe(this.status === 'done' ? 'finished' : this.status);
      this.onUpdate();
    }
  }
}
