// Mounts the client box against a fake lab, with both stores attached as the app attaches them.
import { flushPromises, mount } from '@vue/test-utils';
import ClientConsole from '../../../renderer/src/components/client/ClientConsole.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import type { FakeLab } from '../shell/lab-fixtures';

export async function mountConsole(lab: FakeLab) {
  useCommandsStore().attach(lab.api);
  await useLabStore().attach(lab.api);
  const wrapper = mount(ClientConsole);
  await flushPromises();
  return wrapper;
}
