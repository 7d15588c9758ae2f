// Calls `poll` every `intervalMs` while `active` is true and the component is mounted. Never overlaps calls: a slow
// lab gets one request at a time, not a growing queue.
import { onBeforeUnmount, watch, type Ref } from 'vue';

export function usePolling(poll: () => Promise<void>, intervalMs: number, active: Ref<boolean>): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function schedule(): void {
    if (stopped || !active.value || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      poll().then(schedule, schedule);
    }, intervalMs);
  }

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  watch(active, (isActive) => (isActive ? schedule() : cancel()), { immediate: true });
  onBeforeUnmount(() => {
    stopped = true;
    cancel();
  });
}
