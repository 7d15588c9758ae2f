// Ask before a destructive action: `if (await confirm({...})) act()`. The dialog (ConfirmDialog, mounted once in
// App.vue) shows the question; cancelling, Esc or a newer question resolve false.
import { useConfirmStore, type ConfirmRequest } from '../stores/confirm-store';

export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export function useConfirm(): Confirm {
  const store = useConfirmStore();
  return (request) => store.ask(request);
}
