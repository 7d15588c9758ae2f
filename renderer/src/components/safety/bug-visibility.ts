// Planted bugs are sealed in exercises: a student must find the mistake, so the safety banner names the bug that
// explains a violation only in instructor mode (Settings), which is off by default.
import { useUiStore } from '../../stores/ui-store';

export function explainingBugVisible(): boolean {
  return useUiStore().instructorMode;
}
