// The settings of the next start, kept in the browser across reloads: a student who set 20x slow motion and longer
// timeouts gets them again after a reload, and the next start really uses what the page shows. Planted bugs are not
// kept (an instructor's exercise must not leak into the next student's session); a stored value of the wrong shape,
// or a combination the settings rules refuse, is ignored rather than started.
import type { ClusterSettings } from '../../../src/protocol/lab-api';
import { settingsErrors } from '../components/settings/settings-rules';

export const SETTINGS_KEY = 'raft-lab.settings';
const NOT_KEPT: readonly (keyof ClusterSettings)[] = ['bugs'];

function sameShape(value: unknown, like: unknown): boolean {
  if (Array.isArray(like)) {
    return Array.isArray(value) && value.length === like.length && value.every((item, i) => sameShape(item, like[i]));
  }
  if (typeof like === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === typeof like && value !== null;
}

/** The stored settings over `defaults`, field by field; `defaults` when nothing (sensible) is stored. */
export function readStoredSettings(defaults: ClusterSettings): ClusterSettings {
  let stored: unknown;
  try {
    stored = JSON.parse(window.localStorage.getItem(SETTINGS_KEY) ?? 'null');
  } catch {
    return defaults; // unreadable storage or text: the defaults apply
  }
  if (typeof stored !== 'object' || stored === null) return defaults;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [name, like] of Object.entries(defaults)) {
    const value = (stored as Record<string, unknown>)[name];
    if (!NOT_KEPT.includes(name as keyof ClusterSettings) && sameShape(value, like)) merged[name] = value;
  }
  const settings = merged as unknown as ClusterSettings;
  return settingsErrors(settings).length === 0 ? settings : defaults;
}

export function writeStoredSettings(settings: ClusterSettings): void {
  const kept: Record<string, unknown> = { ...settings };
  for (const name of NOT_KEPT) delete kept[name];
  try {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(kept));
  } catch {
    // Not persisting a preference is harmless.
  }
}
