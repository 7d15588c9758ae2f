// Everything the UI asks the lab to do, through the LabApi: which commands are in flight, what failed (every failure
// lands in `errors`, shown by the error banner: never a silent failure), the client panel's answers and the
// workload's report. What the lab *is* (nodes, roles, logs) comes from the event stream via the lab store instead.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  HeldMessageAction,
  NetworkDelayMs,
  StepResult,
  ClientRequest,
  ClientResult,
  ClusterSettings,
  LabApi,
  LabSnapshot,
  PartitionGroups,
  Unsubscribe,
  WorkloadReport,
  WorkloadSpec,
} from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import type { BlockedLink, LinkFaults } from '../../../src/protocol/link-faults';
import type { NodeId } from '../../../src/protocol/raft';

const MAX_ERRORS = 12;
const MAX_CLIENT_OUTCOMES = 50;
const MAX_ERROR_CHARS = 600;

export type ErrorSource = 'command' | 'node' | 'lab' | 'bridge' | 'ui';

export interface LabError {
  readonly id: number;
  readonly source: ErrorSource;
  readonly message: string;
  /** How many times this same message was reported in a row (repeats are folded, not stacked). */
  readonly count: number;
}

/** One request from the client panel and, once it is back, its answer (or why it could not be asked). */
export interface ClientOutcome {
  readonly id: number;
  readonly request: ClientRequest;
  readonly result: ClientResult | null;
  /** The call itself failed (bridge down, request refused): no answer from the cluster. */
  readonly callError: string | null;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

export const useCommandsStore = defineStore('commands', () => {
  const api = shallowRef<LabApi | null>(null);
  const inFlight = ref<Record<string, number>>({});
  const errors = ref<LabError[]>([]);
  const clientOutcomes = ref<ClientOutcome[]>([]);
  const workload = ref<WorkloadReport | null>(null);
  const snapshot = shallowRef<LabSnapshot | null>(null);
  let nextErrorId = 1;
  let nextOutcomeId = 1;
  let unsubscribe: Unsubscribe | null = null;

  /** Client requests up to this id went to an earlier cluster: the client box no longer shows their answers. */
  const clientClearedThrough = ref(0);

  const busy = computed(() => Object.keys(inFlight.value).length > 0);
  const lastClientOutcome = computed(() => clientOutcomes.value.at(-1) ?? null);
  /** What the client box shows: the newest answer, unless a new cluster started since it was asked. */
  const shownClientOutcome = computed(() => {
    const last = lastClientOutcome.value;
    return last !== null && last.id > clientClearedThrough.value ? last : null;
  });
  const clientPending = computed(() => lastClientOutcome.value !== null && lastClientOutcome.value.result === null
    && lastClientOutcome.value.callError === null);
  const linkFaults = computed<Readonly<Record<string, LinkFaults>>>(() => snapshot.value?.linkFaults ?? {});
  /**
   * The settings the live lab runs with, from its latest snapshot (refreshed after every start and slow-motion
   * change). The event stream does not carry settings, so the views' live picture takes them from here.
   */
  const labSettings = computed<ClusterSettings | null>(() => snapshot.value?.settings ?? null);

  function attach(labApi: LabApi): void {
    unsubscribe?.();
    api.value = labApi;
    // Only failures are taken from the stream here; the lab store turns the rest into the view.
    unsubscribe = labApi.subscribe((events) => reportErrorEvents(events));
    void refreshSnapshot();
  }

  function reportErrorEvents(events: readonly LabEvent[]): void {
    for (const event of events) {
      if (event.type === 'error') reportError(event.message, event.node === null ? 'lab' : 'node');
    }
  }

  function reportError(message: string, source: ErrorSource = 'command'): void {
    const last = errors.value.at(-1);
    if (last && last.message === message && last.source === source) {
      errors.value = [...errors.value.slice(0, -1), { ...last, count: last.count + 1 }];
      return;
    }
    errors.value = [...errors.value, { id: nextErrorId++, source, message, count: 1 }].slice(-MAX_ERRORS);
  }

  function dismissError(id: number): void {
    errors.value = errors.value.filter((error) => error.id !== id);
  }

  function clearErrors(): void {
    errors.value = [];
  }

  function isPending(name: string): boolean {
    return (inFlight.value[name] ?? 0) > 0;
  }

  /** Runs one command: marks it in flight, reports its failure (labelled with `label`) and returns undefined then. */
  async function run<T>(name: string, label: string, action: (labApi: LabApi) => Promise<T>): Promise<T | undefined> {
    const labApi = api.value;
    if (!labApi) {
      reportError(`${label}: not connected to the lab yet`);
      return undefined;
    }
    inFlight.value = { ...inFlight.value, [name]: (inFlight.value[name] ?? 0) + 1 };
    try {
      return await action(labApi);
    } catch (error) {
      reportError(`${label} failed: ${messageOf(error)}`);
      return undefined;
    } finally {
      const left = (inFlight.value[name] ?? 1) - 1;
      const { [name]: _done, ...rest } = inFlight.value;
      inFlight.value = left > 0 ? { ...rest, [name]: left } : rest;
    }
  }

  async function refreshSnapshot(): Promise<void> {
    const next = await run('snapshot', 'Reading the lab state', (labApi) => labApi.getSnapshot());
    if (next) snapshot.value = next;
  }

  async function startCluster(settings: Partial<ClusterSettings>): Promise<void> {
    const label = settings.nodeCount === undefined ? 'Starting the cluster' : `Starting a ${settings.nodeCount}-node cluster`;
    clientClearedThrough.value = nextOutcomeId - 1; // the old cluster's answers say nothing about the new one
    const next = await run('start', label, (labApi) => labApi.startCluster(settings));
    if (next) snapshot.value = next;
  }

  async function stopCluster(): Promise<void> {
    const next = await run('stop', 'Stopping the cluster', (labApi) => labApi.stopCluster());
    if (next) snapshot.value = next;
  }

  /** A fault command, then a fresh snapshot so link tables show what the lab now applies. */
  async function fault(name: string, label: string, action: (labApi: LabApi) => Promise<void>): Promise<void> {
    await run(name, label, action);
    await refreshSnapshot();
  }

  const crashNode = (id: NodeId): Promise<void> => fault(`crash:${id}`, `Crashing S${id}`, (labApi) => labApi.crashNode(id));
  const restartNode = (id: NodeId): Promise<void> => fault(`restart:${id}`, `Restarting S${id}`, (labApi) => labApi.restartNode(id));
  const pauseNode = (id: NodeId): Promise<void> => fault(`pause:${id}`, `Pausing S${id}`, (labApi) => labApi.pauseNode(id));
  const resumeNode = (id: NodeId): Promise<void> => fault(`resume:${id}`, `Resuming S${id}`, (labApi) => labApi.resumeNode(id));
  const wipeNode = (id: NodeId): Promise<void> => fault(`wipe:${id}`, `Wiping S${id}'s disk`, (labApi) => labApi.wipeNode(id));
  /** Membership (dissertation ch. 4): a new server joins as a learner; the leader promotes it once caught up. */
  const addServer = (): Promise<void> => fault('add-server', 'Adding a server', async (labApi) => { await labApi.addServer(); });
  const removeServer = (id: NodeId): Promise<void> => fault(`remove:${id}`, `Removing S${id}`, (labApi) => labApi.removeServer(id));
  /** A learner its leader never promoted (it was down while it joined) becomes a voter now (§4.2.1). */
  const promoteServer = (id: NodeId): Promise<void> => fault(`promote:${id}`, `Promoting S${id}`, (labApi) => labApi.promoteServer(id));
  /** Leadership transfer (dissertation §3.10): resolves once S<id> leads; the lab's reason otherwise. */
  const transferLeadership = (id: NodeId): Promise<void> =>
    fault(`transfer:${id}`, `Transferring leadership to S${id}`, (labApi) => labApi.transferLeadership(id));
  /** S<id> alone on one side, everyone else on the other. */
  const isolateNode = (id: NodeId): Promise<void> =>
    fault(`isolate:${id}`, `Isolating S${id}`, (labApi) => labApi.setPartition([[id]]));
  const setPartition = (groups: PartitionGroups): Promise<void> =>
    fault('partition', 'Setting the partition', (labApi) => labApi.setPartition(groups));
  const setLinkFaults = (from: NodeId, to: NodeId, faults: Partial<LinkFaults>): Promise<void> =>
    fault(`link:${from}->${to}`, `Changing link S${from}→S${to}`, (labApi) => labApi.setLinkFaults(from, to, faults));
  const healAll = (): Promise<void> => fault('heal', 'Healing the network', (labApi) => labApi.healAll());

  /** Asymmetric cuts (bridge, one-way): clear the partition, then block exactly these directed links. */
  function blockLinks(links: readonly BlockedLink[], allNodes: readonly NodeId[]): Promise<void> {
    return fault('partition', 'Cutting links', async (labApi) => {
      await labApi.setPartition([[...allNodes]]);
      for (const [from, to] of links) await labApi.setLinkFaults(from, to, { blocked: true });
    });
  }

  /** True when the lab accepted the new scale. */
  async function setTimeScale(timeScale: number): Promise<boolean> {
    const done = await run('time-scale', `Setting slow motion to ${timeScale}x`, async (labApi) => {
      await labApi.setTimeScale(timeScale);
      return true;
    });
    if (done === true) await refreshSnapshot();
    return done === true;
  }

  /** True when the lab accepted the new delay. */
  async function setNetworkDelay(delayMs: NetworkDelayMs): Promise<boolean> {
    const done = await run('network-delay', `Setting the network delay to ${delayMs[0]}–${delayMs[1]} ms`, async (labApi) => {
      await labApi.setNetworkDelay(delayMs);
      return true;
    });
    if (done === true) await refreshSnapshot();
    return done === true;
  }

  const freezeCluster = (): Promise<void> => fault('freeze', 'Pausing the cluster', (labApi) => labApi.freezeCluster());
  const resumeCluster = (): Promise<void> => fault('freeze', 'Running the cluster', (labApi) => labApi.resumeCluster());
  /** One step of a paused cluster; its description also arrives as a lab-clock event (the caption strip shows it). */
  const stepCluster = (): Promise<StepResult | undefined> => run('step', 'Stepping the cluster', (labApi) => labApi.stepCluster());
  const timeoutNode = (id: NodeId): Promise<void> =>
    fault(`timeout:${id}`, `Timing out S${id}`, (labApi) => labApi.timeoutNode(id));
  const heldMessage = (to: NodeId, messageId: string, action: HeldMessageAction): Promise<void> =>
    fault(`held:${messageId}`, `${action[0]?.toUpperCase()}${action.slice(1)} message ${messageId}`,
      (labApi) => labApi.heldMessage(to, messageId, action));

  async function clientRequest(request: ClientRequest): Promise<ClientOutcome> {
    const id = nextOutcomeId++;
    const pending: ClientOutcome = { id, request, result: null, callError: null };
    clientOutcomes.value = [...clientOutcomes.value, pending].slice(-MAX_CLIENT_OUTCOMES);
    let done: ClientOutcome;
    try {
      const labApi = api.value;
      if (!labApi) throw new Error('not connected to the lab yet');
      done = { ...pending, result: await labApi.clientRequest(request) };
    } catch (error) {
      done = { ...pending, callError: messageOf(error) };
      reportError(`Client ${request.op} ${request.key} failed: ${done.callError}`);
    }
    clientOutcomes.value = clientOutcomes.value.map((outcome) => (outcome.id === id ? done : outcome));
    return done;
  }

  /**
   * Bumped when a workload starts or stops and when a stop answers. A poll's answer describes the workload as it was
   * when the poll was sent: one sent before (or during) a stop would replace the stop's checked report with an
   * unchecked one, and the verdict would vanish; so an answer from an older generation is dropped.
   */
  let workloadGeneration = 0;

  async function startWorkload(spec: WorkloadSpec): Promise<void> {
    workloadGeneration += 1;
    await run('workload', 'Starting the workload', (labApi) => labApi.startWorkload(spec));
    await refreshWorkload();
  }

  async function stopWorkload(): Promise<void> {
    workloadGeneration += 1;
    const report = await run('workload', 'Stopping the workload', (labApi) => labApi.stopWorkload());
    workloadGeneration += 1;
    if (report) workload.value = report;
  }

  async function refreshWorkload(): Promise<void> {
    const generation = workloadGeneration;
    const report = await run('workload-poll', 'Reading the workload', (labApi) => labApi.getWorkload());
    if (report && generation === workloadGeneration) workload.value = report;
  }

  return {
    errors, busy, inFlight, clientOutcomes, lastClientOutcome, clientPending, workload, snapshot, linkFaults, labSettings,
    shownClientOutcome, clientClearedThrough,
    attach, reportError, dismissError, clearErrors, isPending, refreshSnapshot, startCluster, stopCluster,
    crashNode, restartNode, pauseNode, resumeNode, wipeNode, addServer, removeServer, promoteServer, transferLeadership, isolateNode, setPartition, setLinkFaults, blockLinks, healAll,
    setTimeScale, clientRequest, startWorkload, stopWorkload, refreshWorkload,
    setNetworkDelay, freezeCluster, resumeCluster, stepCluster, timeoutNode, heldMessage,
  };
});
