// Every keyboard shortcut, as data: the help overlay lists exactly what the handler does.
export interface Shortcut {
  /** Keys as shown to the user. */
  readonly keys: string;
  readonly action: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Space', action: 'Pause / run the cluster: every server\'s clock stops and messages wait at their receivers (in a replay: pause the view)' },
  { keys: 's', action: 'Step a paused cluster: the next timer or message delivery, in time order' },
  { keys: 'o', action: 'Time out the selected server now: its election timer fires at once' },
  { keys: 'v', action: 'Pause / unpause the view only (the cluster keeps running; events are still recorded)' },
  { keys: 'l', action: 'Go live: jump back to the newest moment' },
  { keys: '1 – 9', action: 'Select server S1 … S9 (again: deselect)' },
  { keys: 'c', action: 'Crash the selected server (SIGKILL)' },
  { keys: 'r', action: 'Restart the selected server' },
  { keys: 'p', action: 'Pause / resume the selected server (SIGSTOP / SIGCONT)' },
  { keys: 'i', action: 'Isolate the selected server' },
  { keys: 'h', action: 'Heal the network: remove every partition and link fault' },
  { keys: 't', action: 'Switch between light and dark theme' },
  { keys: 'f', action: 'Presentation mode: large type for projectors' },
  { keys: 'g', action: 'Show / hide the timeline' },
  { keys: '?', action: 'Show / hide this help' },
  { keys: 'Esc', action: 'Close help; clear the selection' },
];
