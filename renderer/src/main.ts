// Boot: stores, the bridge to the lab (Electron IPC or the web-mode WebSocket), and a net under everything so that
// no failure is silent: Vue errors, uncaught errors and rejected promises all reach the error banner.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import type { LabApi } from '../../src/protocol/lab-api';
import { connectLab } from './api/connect-lab';
import type { LinkState } from './api/websocket-transport';
import { useCommandsStore } from './stores/commands-store';
import { useLabStore } from './stores/lab-store';
import { useExerciseStore } from './stores/exercise-store';
import { useDemoStore } from './stores/demo-store';
import './styles.css';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const lab = useLabStore(pinia);
const commands = useCommandsStore(pinia);

app.config.errorHandler = (error) => commands.reportError(`The UI hit an error: ${messageOf(error)}`, 'ui');
window.addEventListener('error', (event) => commands.reportError(`The UI hit an error: ${event.message}`, 'ui'));
window.addEventListener('unhandledrejection', (event) => commands.reportError(`The UI hit an error: ${messageOf(event.reason)}`, 'ui'));

let triedBefore = false;
const onLinkState = (state: LinkState): void => {
  lab.linkState = state;
  // After a reconnect (or a first connection after a refusal) the lab may have moved on (faults, link tables): read
  // its state again.
  if (state === 'open' && triedBefore) void commands.refreshSnapshot();
  if (state === 'open' || state === 'refused') triedBefore = true;
};

/**
 * The lab to talk to. The renderer benchmark's synthetic lab (`?bench=1`) exists only in the benchmark's build
 * (test/bench/renderer-bench.ts sets __RAFT_LAB_BENCH__): elsewhere the flag is false, the branch and the module
 * behind it are left out of the bundle, and such an address is just a page without its token.
 */
async function openLab(): Promise<LabApi> {
  if (__RAFT_LAB_BENCH__) {
    const { connectBenchLab } = await import('../../test/bench/bench-lab-api');
    const bench = connectBenchLab(window.location.href, () => onLinkState('open'));
    if (bench) return bench;
  }
  return connectLab(onLinkState);
}

function start(api: LabApi): void {
  commands.attach(api);
  useExerciseStore(pinia).attach(api);
  useDemoStore(pinia).attach(api);
  app.mount('#app');
  lab.attach(api).catch((error: unknown) => commands.reportError(`Cannot reach the lab: ${messageOf(error)}`, 'bridge'));
}

openLab().then(start, (error: unknown) => commands.reportError(`Cannot reach the lab: ${messageOf(error)}`, 'bridge'));
