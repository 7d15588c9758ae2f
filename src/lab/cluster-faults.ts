// What the lab does to break a running cluster for real: crash (SIGKILL), restart, pause (SIGSTOP), wipe a disk,
// partition the network and fault single links. Each is announced as a fault event, so the timeline, the checkers
// and the student see what happened and when.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PartitionGroups } from '../protocol/lab-api';
import type { LabEvent } from '../protocol/events';
import type { LinkFaults } from '../protocol/link-faults';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import type { EventHub } from './event-hub';
import type { FaultState } from './fault-state';
import type { NodeSupervisor } from './node-supervisor';

export const START_DEADLINE_MS = 20_000;
/** How long setPartition/setLinkFaults/healAll wait for the nodes to say they applied the new tables. */
const FAULTS_APPLIED_DEADLINE_MS = 2000;

export class ClusterFaults {
  /** Numbers the fault tables sent to the nodes; each node echoes the last one it applied. */
  private faultsVersion = 0;

  constructor(
    private readonly supervisor: NodeSupervisor,
    private readonly faults: FaultState,
    private readonly events: EventHub,
    private readonly dataRoot: string,
  ) {}

  async crashNode(id: NodeId): Promise<void> {
    const slot = this.supervisor.requireNode(id);
    if (!slot.process || slot.process.isExited) throw new Error(`S${id} is not running`);
    this.publishFault('crash', [id], `S${id} crashed (SIGKILL): it loses everything not on its disk`);
    slot.process.signal('SIGKILL');
    await this.supervisor.waitUntil(() => slot.process?.isExited ?? true, 5000, `S${id} to die`);
  }

  async restartNode(id: NodeId): Promise<void> {
    const slot = this.supervisor.requireNode(id);
    if (slot.process && !slot.process.isExited) throw new Error(`S${id} is still running; crash or stop it first`);
    this.publishFault('restart', [id], `S${id} restarted from its data directory`);
    this.supervisor.spawnNode(id);
    const restarted = this.supervisor.requireNode(id);
    await this.supervisor.waitUntil(() => restarted.configured || (restarted.process?.isExited ?? true), START_DEADLINE_MS, `S${id} to restart`);
    if (!restarted.configured) {
      throw new Error(`S${id} could not restart: ${restarted.lastFailure ?? 'its process exited during start-up'}`);
    }
  }

  async pauseNode(id: NodeId): Promise<void> {
    const slot = this.supervisor.requireRunning(id);
    if (slot.view.status === 'paused') return;
    slot.process?.signal('SIGSTOP');
    this.publishFault('pause', [id], `S${id} paused (SIGSTOP): frozen with all its state, timers stopped`);
    this.supervisor.updateNode(id, {}, 'paused', 'SIGSTOP');
  }

  async resumeNode(id: NodeId): Promise<void> {
    const slot = this.supervisor.requireNode(id);
    if (slot.view.status !== 'paused') return;
    slot.process?.signal('SIGCONT');
    this.publishFault('resume', [id], `S${id} resumed (SIGCONT): it carries on as if no time had passed`);
    this.supervisor.updateNode(id, {}, 'running', 'SIGCONT');
  }

  async wipeNode(id: NodeId): Promise<void> {
    const slot = this.supervisor.requireNode(id);
    if (slot.process && !slot.process.isExited) {
      slot.process.signal('SIGKILL');
      await this.supervisor.waitUntil(() => slot.process?.isExited ?? true, 5000, `S${id} to die`);
    }
    rmSync(join(this.dataRoot, `node-${id}`), { recursive: true, force: true });
    this.publishFault('wipe', [id], `S${id}'s disk was wiped: it forgot its term, vote and log`);
  }

  async setPartition(groups: PartitionGroups): Promise<void> {
    this.faults.setPartition(groups, this.supervisor.memberIds());
    const shown = groups.map((group) => `{${group.map((node) => `S${node}`).join(', ')}}`).join(' | ');
    this.publishFault('partition', groups.flat(), `partition: ${shown} (unlisted nodes form one more group)`);
    await this.pushFaults();
  }

  async setLinkFaults(from: NodeId, to: NodeId, patch: Partial<LinkFaults>): Promise<void> {
    this.supervisor.requireNode(from);
    this.supervisor.requireNode(to);
    this.faults.setLink(from, to, patch);
    const shown = Object.entries(patch).map(([name, value]) => `${name}=${String(value)}`).join(', ');
    this.publishFault('link', [from, to], `link S${from}→S${to}: ${shown}`);
    await this.pushFaults();
  }

  async healAll(): Promise<void> {
    this.faults.healAll();
    this.publishFault('heal', this.supervisor.memberIds(), 'healed: every link works again');
    await this.pushFaults();
  }

  /**
   * Sends every node its new fault table and resolves once each node that can answer has applied it, so a caller
   * that partitions and then writes knows the partition is already in force. A node that cannot answer (crashed,
   * paused, not yet configured: it gets the table with its configuration) is not waited for; one that dies
   * meanwhile is waited for at most FAULTS_APPLIED_DEADLINE_MS.
   */
  private async pushFaults(): Promise<void> {
    const members = this.supervisor.memberIds();
    const tables = this.faults.tables(members);
    const version = ++this.faultsVersion;
    for (const id of members) {
      const table = tables[id];
      if (table) this.supervisor.sendToNode(id, { type: 'faults', faults: table, version });
    }
    const applied = (): boolean => [...this.supervisor.slots()].every((slot) =>
      slot.appliedFaultsVersion >= version || !slot.configured || slot.view.status !== 'running' || (slot.process?.isExited ?? true));
    await this.supervisor.waitUntil(applied, FAULTS_APPLIED_DEADLINE_MS, 'the nodes to apply the new fault tables').catch(() => undefined);
  }

  private publishFault(action: Extract<LabEvent, { type: 'fault' }>['action'], nodes: NodeId[], description: string): void {
    const changesLinks = action === 'partition' || action === 'link' || action === 'heal';
    this.events.publish({ type: 'fault', atNs: monotonicNowNs(), action, nodes, description,
      ...(changesLinks ? { blockedLinks: this.faults.blockedLinks().map(([from, to]): [NodeId, NodeId] => [from, to]) } : {}) });
  }
}
