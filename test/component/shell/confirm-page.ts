// The page a test of a confirming control needs: fresh stores per test, window.confirm stubbed (so the test can show it
// is never called: the app asks in its own dialog), and the control mounted beside that dialog on a fake lab's API.
import { afterEach, beforeEach, vi, type Mock } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Component } from 'vue';
import ConfirmDialog from '../../../renderer/src/components/shell/ConfirmDialog.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { withConfirmDialog } from './with-confirm-dialog';
import type { FakeLab } from './lab-fixtures';

export interface ConfirmPage {
  /** The stub standing in for window.confirm in the current test. */
  nativeConfirm(): Mock;
  /** Mounts the control beside the dialog, its stores attached to `lab`. */
  mount(lab: FakeLab): Promise<VueWrapper>;
}

/** Call inside a `describe`: registers the per-test set-up and clean-up. */
export function confirmPage(control: Component): ConfirmPage {
  const host = withConfirmDialog(control, ConfirmDialog);
  let nativeConfirm: Mock = vi.fn();
  beforeEach(() => {
    setActivePinia(createPinia());
    nativeConfirm = vi.fn(() => true);
    vi.stubGlobal('confirm', nativeConfirm);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });
  return {
    nativeConfirm: () => nativeConfirm,
    async mount(lab) {
      useCommandsStore().attach(lab.api);
      await useLabStore().attach(lab.api);
      const wrapper = mount(host, { attachTo: document.body });
      await flushPromises();
      return wrapper;
    },
  };
}
