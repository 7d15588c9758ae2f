// Slow motion, applied live: the header's input and the settings slider both go through here, so the value shown is
// the lab's (from the view) and a change is sent once, not once per keystroke or slider step.
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { storeToRefs } from 'pinia';
import { useCommandsStore } from '../stores/commands-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';
import { clampTimeScale } from '../components/settings/settings-rules';

const SETTLE_MS = 300;

export interface TimeScaleControl {
  /** What the control shows: the value being typed, else the lab's. */
  readonly shown: Ref<number>;
  /** Typing / dragging: applied once the value settles. */
  input(value: number): void;
  /** A committed change (Enter, blur, a preset): applied now. */
  commit(value: number): void;
}

export function useTimeScale(): TimeScaleControl {
  const { liveView } = storeToRefs(useLabStore());
  const commands = useCommandsStore();
  const ui = useUiStore();
  const typed = ref<number | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The change sent to the lab and not answered yet (Enter in the input is also its change event: one commit each).
   * One object per send: after 20, 5 and 20 again, the first answer must not clear the third.
   */
  let sending: { readonly value: number } | null = null;

  const labValue = computed(() => commands.labSettings?.timeScale ?? liveView.value.settings.timeScale);
  const running = computed(() => liveView.value.phase === 'running');
  const shown = computed(() => typed.value ?? (running.value ? labValue.value : ui.settingsDraft.timeScale));
  // Once the lab reports a new value (this change, or a new cluster), the control follows the lab again.
  watch(labValue, () => { if (timer === null) typed.value = null; });

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function commit(value: number): void {
    cancel();
    const next = clampTimeScale(value);
    ui.patchSettingsDraft({ timeScale: next });
    if (!running.value || next === labValue.value) {
      typed.value = null;
      return;
    }
    typed.value = next;
    if (sending?.value === next) return;
    const sent = { value: next };
    sending = sent;
    // On failure (reported by the store) the control falls back to what the lab really runs at.
    void commands.setTimeScale(next).then((applied) => {
      if (sending === sent) sending = null;
      if (!applied && typed.value === next) typed.value = null;
    });
  }

  function input(value: number): void {
    if (!Number.isFinite(value)) return;
    typed.value = value;
    cancel();
    timer = setTimeout(() => { timer = null; commit(value); }, SETTLE_MS);
  }

  onBeforeUnmount(cancel);
  return { shown, input, commit };
}
