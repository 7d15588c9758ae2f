// Pause / step / run of the live cluster, shared by the header's buttons and the keyboard (Space, s).
import { computed, type ComputedRef } from 'vue';
import { storeToRefs } from 'pinia';
import { useCommandsStore } from '../../stores/commands-store';
import { useLabStore } from '../../stores/lab-store';

export interface ClusterClockControl {
  /** The live cluster is paused (its lab clock stands still). */
  readonly frozen: ComputedRef<boolean>;
  /** A live, running cluster (not a replay): the controls act on it. */
  readonly canControl: ComputedRef<boolean>;
  readonly busy: ComputedRef<boolean>;
  /** A step is playing out (the Step button waits for it: one step, one visible change). */
  readonly stepping: ComputedRef<boolean>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  toggle(): Promise<void>;
  step(): Promise<void>;
}

export function useClusterClock(): ClusterClockControl {
  const commands = useCommandsStore();
  const { liveView, isReplay } = storeToRefs(useLabStore());
  const frozen = computed(() => liveView.value.phase === 'running' && (liveView.value.clock?.segment.frozen ?? false));
  const canControl = computed(() => !isReplay.value && liveView.value.phase === 'running');
  const busy = computed(() => commands.isPending('freeze'));
  const stepping = computed(() => commands.isPending('step'));

  const pause = async (): Promise<void> => { if (canControl.value && !frozen.value) await commands.freezeCluster(); };
  const resume = async (): Promise<void> => { if (canControl.value && frozen.value) await commands.resumeCluster(); };
  return {
    frozen, canControl, busy, stepping, pause, resume,
    toggle: () => (frozen.value ? resume() : pause()),
    async step() {
      // One at a time: a second press while a step plays out would only queue behind it.
      if (canControl.value && frozen.value && !stepping.value) await commands.stepCluster();
    },
  };
}
