// The lab's keyboard shortcuts (listed in shortcuts.ts). Keys typed into a form field are left alone, and so are
// combinations with Ctrl/Alt/Meta, which belong to the browser or the desktop.
import { onBeforeUnmount, onMounted } from 'vue';
import { useCommandsStore } from '../stores/commands-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';
import { useClusterClock } from '../components/clock/useClusterClock';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'range';
}

export function useKeyboardShortcuts(): void {
  const lab = useLabStore();
  const commands = useCommandsStore();
  const ui = useUiStore();
  const clusterClock = useClusterClock();

  function onSelectedNode(act: (id: number, status: string) => void): void {
    const id = ui.selectedNodeId;
    const node = id === null ? undefined : lab.liveView.nodes[id];
    if (id === null || !node || lab.isReplay) return;
    act(id, node.status);
  }

  /** Returns true when the key was a shortcut (and so must not also reach the page). */
  function handle(key: string): boolean {
    if (/^[1-9]$/.test(key)) {
      const id = Number(key);
      if (!lab.view.nodes[id]) return false;
      ui.selectNode(ui.selectedNodeId === id ? null : id);
      return true;
    }
    switch (key) {
      // Space pauses the cluster itself (a replay has no cluster: there it pauses the view).
      case ' ':
        if (clusterClock.canControl.value) void clusterClock.toggle();
        else lab.toggleViewPaused();
        return true;
      case 's': void clusterClock.step(); return true;
      case 'v': lab.toggleViewPaused(); return true;
      case 'o': onSelectedNode((id, status) => { if (status === 'running') void commands.timeoutNode(id); }); return true;
      case 'l': lab.goLive(); return true;
      case '?': ui.setHelpOpen(!ui.helpOpen); return true;
      case 'Escape':
        if (ui.helpOpen) ui.setHelpOpen(false);
        else ui.selectNode(null);
        return true;
      case 't': ui.toggleTheme(); return true;
      case 'f': ui.togglePresentation(); return true;
      case 'g': ui.toggleTimeline(); return true;
      case 'h': if (!lab.isReplay) void commands.healAll(); return true;
      case 'c': onSelectedNode((id, status) => { if (status !== 'crashed' && status !== 'stopped') void commands.crashNode(id); }); return true;
      case 'r': onSelectedNode((id, status) => { if (status === 'crashed' || status === 'stopped') void commands.restartNode(id); }); return true;
      case 'i': onSelectedNode((id) => { void commands.isolateNode(id); }); return true;
      case 'p': onSelectedNode((id, status) => {
        if (status === 'paused') void commands.resumeNode(id);
        else if (status === 'running') void commands.pauseNode(id);
      }); return true;
      default: return false;
    }
  }

  function onKeyDown(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.key !== 'Escape' && isTyping(event.target)) return;
    // Space on a focused button activates the button, as everywhere else.
    if (event.key === ' ' && event.target instanceof HTMLButtonElement) return;
    if (handle(event.key)) event.preventDefault();
  }

  onMounted(() => window.addEventListener('keydown', onKeyDown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeyDown));
}
