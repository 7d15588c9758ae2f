// Puts the theme, presentation mode and its type size on <html>, where the CSS variables of styles/theme.css pick them up.
import { watchEffect } from 'vue';
import { storeToRefs } from 'pinia';
import { useUiStore } from '../stores/ui-store';

export function useDocumentTheme(): void {
  const { theme, presentation, presentationFontPx } = storeToRefs(useUiStore());
  watchEffect(() => {
    document.documentElement.dataset['theme'] = theme.value;
    document.documentElement.dataset['presentation'] = String(presentation.value);
    // Everything is sized in rem: the root size is the one type-size setting of presentation mode.
    document.documentElement.style.fontSize = presentation.value ? `${presentationFontPx.value}px` : '';
  });
}
