// How the lab is shown, as opposed to what it shows: theme, presentation mode, the open tab, the selected server,
// the help overlay, and the settings the next cluster will start with. Nothing here talks to the lab.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { DEFAULT_SETTINGS, MAX_UI_NODES, TEACHING_SETTINGS, type ClusterSettings } from '../../../src/protocol/lab-api';
import { readStoredSettings, writeStoredSettings } from './settings-storage';

export type Theme = 'light' | 'dark';
export type ToolTab = 'events' | 'faults' | 'client' | 'exercises' | 'experiments' | 'settings';
export const TOOL_TABS: readonly ToolTab[] = ['events', 'faults', 'client', 'exercises', 'experiments', 'settings'];

const THEME_KEY = 'raft-lab.theme';
const PRESENTATION_KEY = 'raft-lab.presentation';
const PRESENTATION_FONT_KEY = 'raft-lab.presentation-font-px';
const INSTRUCTOR_KEY = 'raft-lab.instructor-mode';
/** Type sizes offered for presentation mode (the root size every rem follows), by room size and projector. */
export const PRESENTATION_FONT_SIZES = [16, 18, 20, 22, 24, 28, 32] as const;
const DEFAULT_PRESENTATION_FONT_PX = 20;

function storedFontPx(): number {
  const stored = Number(readStored(PRESENTATION_FONT_KEY));
  return (PRESENTATION_FONT_SIZES as readonly number[]).includes(stored) ? stored : DEFAULT_PRESENTATION_FONT_PX;
}

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage can be disabled; the defaults then apply
  }
}

function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not persisting a preference is harmless.
  }
}

function initialTheme(): Theme {
  const stored = readStored(THEME_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function clampNodeCount(count: number): number {
  if (!Number.isFinite(count)) return DEFAULT_SETTINGS.nodeCount;
  return Math.min(MAX_UI_NODES, Math.max(1, Math.round(count)));
}

export const useUiStore = defineStore('ui', () => {
  const theme = ref<Theme>(initialTheme());
  const presentation = ref(readStored(PRESENTATION_KEY) === 'true');
  /** Root font size in presentation mode, in px. */
  const presentationFontPx = ref(storedFontPx());
  // Events first: the event log is the running commentary of the lab, and a public surface (`event-log`).
  const activeTab = ref<ToolTab>('events');
  const selectedNodeId = ref<number | null>(null);
  const helpOpen = ref(false);
  /** The timeline can be folded away to give the cluster the whole height (on small screens, projectors). */
  const timelineOpen = ref(true);
  /** Settings for the next start (teaching speed: 10x, a visible network delay); node count is the header's cluster-size input. */
  const settingsDraft = ref<ClusterSettings>(readStoredSettings({ ...TEACHING_SETTINGS }));
  /**
   * Instructor mode: the planted-bug switches and the names of bugs that explain a violation. Off by default, so a
   * student never sees which bug an exercise runs (its bugs are sealed); kept across reloads on an instructor's machine.
   */
  const instructorMode = ref(readStored(INSTRUCTOR_KEY) === 'true');
  watch(instructorMode, (value) => writeStored(INSTRUCTOR_KEY, String(value)));

  watch(theme, (value) => writeStored(THEME_KEY, value));
  watch(presentation, (value) => writeStored(PRESENTATION_KEY, String(value)));
  watch(presentationFontPx, (value) => writeStored(PRESENTATION_FONT_KEY, String(value)));
  watch(settingsDraft, (value) => writeStoredSettings(value));

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  function togglePresentation(): void {
    presentation.value = !presentation.value;
  }

  function setPresentationFontPx(px: number): void {
    if ((PRESENTATION_FONT_SIZES as readonly number[]).includes(px)) presentationFontPx.value = px;
  }

  function selectNode(id: number | null): void {
    selectedNodeId.value = id;
  }

  function toggleTimeline(): void {
    timelineOpen.value = !timelineOpen.value;
  }

  function setHelpOpen(open: boolean): void {
    helpOpen.value = open;
  }

  function setActiveTab(tab: ToolTab): void {
    activeTab.value = tab;
  }

  /** Leaving instructor mode also switches the planted bugs of the next start off: what a student starts is Raft. */
  function setInstructorMode(on: boolean): void {
    instructorMode.value = on;
    if (!on && settingsDraft.value.bugs.length > 0) patchSettingsDraft({ bugs: [] });
  }

  function patchSettingsDraft(patch: Partial<ClusterSettings>): void {
    const next = { ...settingsDraft.value, ...patch };
    settingsDraft.value = { ...next, nodeCount: clampNodeCount(next.nodeCount) };
  }

  return { theme, presentation, presentationFontPx, setPresentationFontPx, activeTab, selectedNodeId, helpOpen, timelineOpen, settingsDraft, toggleTheme,
    togglePresentation, toggleTimeline, selectNode, setHelpOpen, setActiveTab, patchSettingsDraft, instructorMode, setInstructorMode };
});
