// @vitest-environment happy-dom
// A page opened without the lab's token (or refused by the lab) says so and says what to do: open the URL the lab
// printed. It does not pretend to be a live lab that merely lost its connection, or a stopped cluster to start.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import { connectLab } from '../../../renderer/src/api/connect-lab';
import { createWebSocketTransport } from '../../../renderer/src/api/websocket-transport';
import AppHeader from '../../../renderer/src/components/shell/AppHeader.vue';
import ErrorBanner from '../../../renderer/src/components/shell/ErrorBanner.vue';
import ClusterView from '../../../renderer/src/components/cluster/ClusterView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';

/** A WebSocket the server refuses at the upgrade: it errors and closes without ever opening. */
class RefusedSocket extends EventTarget {
  static created = 0;
  constructor(readonly url: string) {
    super();
    RefusedSocket.created += 1;
    setTimeout(() => {
      this.dispatchEvent(new Event('error'));
      this.dispatchEvent(new Event('close'));
    }, 0);
  }
  send(): void { throw new Error('not open'); }
  close(): void { /* already closed */ }
}

describe('a page the lab does not accept', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    RefusedSocket.created = 0;
    vi.stubGlobal('WebSocket', RefusedSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('without a token in the URL: refused at once, with what to do, and no socket is opened', () => {
    window.history.replaceState(null, '', '/');
    const states: [string, string][] = [];
    connectLab((state, detail) => states.push([state, detail]));
    expect(states.at(-1)?.[0]).toBe('refused');
    expect(states.at(-1)?.[1]).toMatch(/URL the lab printed/);
    expect(RefusedSocket.created).toBe(0);
  });

  it('a socket refused before it ever opened is "refused", not a lost connection', async () => {
    const states: string[] = [];
    createWebSocketTransport('ws://127.0.0.1:1/api?token=wrong', (state) => states.push(state));
    await vi.advanceTimersByTimeAsync(1);
    expect(states.at(-1)).toBe('refused');
    await vi.advanceTimersByTimeAsync(1000); // it keeps trying quietly (the lab may be starting)
    expect(states).not.toContain('closed');
    expect(states.at(-1)).toBe('refused');
  });

  it('the page says to open the URL the lab printed, not "stopped, press Start" or "live"', async () => {
    vi.useRealTimers();
    window.history.replaceState(null, '', '/');
    useLabStore().linkState = 'refused';
    const header = mount(AppHeader);
    const banner = mount(ErrorBanner);
    const cluster = mount(ClusterView);
    await flushPromises();
    expect(banner.get('[data-testid="link-refused"]').text()).toMatch(/URL the lab printed/);
    expect(banner.find('[data-testid="link-lost"]').exists()).toBe(false);
    expect(header.get('[data-testid="cluster-phase"]').text()).not.toMatch(/stopped/i);
    expect(header.get('[data-testid="view-mode"]').text()).not.toMatch(/live/);
    expect(header.get('[data-testid="start-cluster"]').attributes('disabled')).toBeDefined();
    expect(cluster.text()).not.toMatch(/press Start/);
    expect(cluster.text()).toMatch(/URL the lab printed/);
    header.unmount();
    banner.unmount();
    cluster.unmount();
  });
});
