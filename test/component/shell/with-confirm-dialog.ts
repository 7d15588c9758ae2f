// Mounts a component beside the confirmation dialog, as App.vue does, so a test can answer the question by clicking.
import { defineComponent, h, type Component } from 'vue';

export function withConfirmDialog(inner: Component, dialog: Component): Component {
  return defineComponent({ setup: () => () => h('div', [h(inner), h(dialog)]) });
}
