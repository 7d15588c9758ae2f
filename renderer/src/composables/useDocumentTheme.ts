// Puts the theme and presentation mode on <html>, where the CSS variables of styles/theme.css pick them up.
import { watchEffect } from 'vue';
import { storeToRefs } from 'pinia';
import { useUiStore } from '../stores/ui-store';

export function useDocumentTheme(): void {
  const { theme, presentation } = storeToRefs(useUiStore());
  watchEffect(() => {
    document.documentElement.dataset['theme'] = theme.value;
    document.documentElement.dataset['presentation'] = String(presentation.value);
  });
}
