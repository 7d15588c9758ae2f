// Whether an element is on screen (in the viewport, not folded away or in a hidden tab). Views that redraw with
// every event use it to skip work nobody can see, and catch up when they come into view. True until the browser
// says otherwise, and always where there is no IntersectionObserver (tests).
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useOnScreen(element: Ref<Element | null>): Ref<boolean> {
  const onScreen = ref(true);
  let observer: IntersectionObserver | null = null;
  onMounted(() => {
    const target = element.value;
    if (!target || typeof IntersectionObserver !== 'function') return;
    observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) onScreen.value = last.isIntersecting;
    });
    observer.observe(target);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return onScreen;
}
