// A selection belongs to the cluster it was made in: when that cluster stops or a new one starts, the selected
// message and server are gone (or are other processes of the same name), so the inspector closes instead of showing
// a message of a cluster that no longer exists.
import { watch } from 'vue';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';

export function useSelectionReset(): void {
  const lab = useLabStore();
  const ui = useUiStore();
  watch(() => lab.liveView.phase, (phase, before) => {
    if (lab.isReplay || phase === before || phase === 'running') return;
    lab.selectMessage(null);
    ui.selectNode(null);
  });
}
