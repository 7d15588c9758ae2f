// The one question the lab may be asking before a destructive action (wiping a running cluster, replacing the live
// view): what is asked, and the promise waiting for the answer. Answered by ConfirmDialog, never by window.confirm
// (which blocks the page, cannot be styled or tested, and is disabled in some embeddings).
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';

export interface ConfirmRequest {
  readonly title: string;
  /** What will be lost, in words. */
  readonly message: string;
  /** The button that goes ahead, named after the action ("New cluster"), not "OK". */
  readonly acceptLabel: string;
  readonly cancelLabel?: string;
}

export interface OpenQuestion extends ConfirmRequest {
  readonly id: number;
}

export const useConfirmStore = defineStore('confirm', () => {
  const question = shallowRef<OpenQuestion | null>(null);
  let settle: ((accepted: boolean) => void) | null = null;
  let nextId = 1;

  /** Resolves true when accepted, false when cancelled or replaced by another question. */
  function ask(request: ConfirmRequest): Promise<boolean> {
    answer(false); // a newer question wins; the older one counts as cancelled
    question.value = { ...request, id: nextId++ };
    return new Promise<boolean>((resolve) => { settle = resolve; });
  }

  function answer(accepted: boolean): void {
    const done = settle;
    settle = null;
    question.value = null;
    done?.(accepted);
  }

  return { question, ask, answer };
});
