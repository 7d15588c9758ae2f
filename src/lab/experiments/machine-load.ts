// The machine's load when a run started and ended: on a shared 2-core machine the numbers mean little without it.
import { cpus, loadavg } from 'node:os';
import type { MachineLoad } from '../../protocol/experiments';

export function machineLoad(): MachineLoad {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const round = (value: number): number => Math.round(value * 100) / 100;
  return { loadAverage: [round(one), round(five), round(fifteen)], cpus: cpus().length };
}

export function describeLoad(load: MachineLoad): string {
  return `load average ${load.loadAverage.join(', ')} on ${load.cpus} cores`;
}
