import { type FilterPolicy, NEWEST_PROFILE, type ProfileId } from '../../core/index';
import type { SliceCreator } from './types';

/** Bits [from, to) of policy.ranges[range] (the bitmap grid's selection). */
export interface GridSelection {
  range: number;
  from: number;
  to: number;
}

export interface FocusedCell {
  range: number;
  bit: number;
  index: number;
}

export type PanelId = 'explain' | 'lint' | 'compare' | 'reference' | 'kvm';
export const PANELS: readonly { id: PanelId; label: string }[] = [
  { id: 'explain', label: 'Effective policy' },
  { id: 'lint', label: 'Lint' },
  { id: 'compare', label: 'Compare A/B' },
  { id: 'reference', label: 'MSR reference' },
  { id: 'kvm', label: 'Simulator vs KVM' },
];

/** What the console's form holds: text as typed, parsed when fired. */
export interface ConsoleDraft {
  op: 'rdmsr' | 'wrmsr';
  indexText: string;
  valueText: string;
  host: boolean;
}

/** The A/B comparison: the current policy against policy B, or the current policy under two profiles. */
export interface CompareState {
  mode: 'policies' | 'profiles';
  /** Policy B (mode `policies`), with where it came from. */
  b: { label: string; policy: FilterPolicy } | null;
  profileA: ProfileId;
  profileB: ProfileId;
}

export const ZOOM_MIN = 2;
export const ZOOM_MAX = 24;
export const ZOOM_DEFAULT = 12;

export interface ViewFields {
  selection: GridSelection | null;
  zoom: number;
  focus: FocusedCell | null;
  jumpTo: { index: number; seq: number; range?: number; focus?: boolean } | null;
  activePanel: PanelId;
  paletteOpen: boolean;
  /** The `?` sheet of keyboard shortcuts. */
  helpOpen: boolean;
  draft: ConsoleDraft;
  /** Why the draft could not be fired, shown next to the form. */
  draftError: string | null;
  compare: CompareState;
}

/** How the user is looking at things: never undone, never shared. */
export interface ViewSlice extends ViewFields {
  setView(patch: Partial<ViewFields>): void;
  setDraft(patch: Partial<ConsoleDraft>): void;
  setZoom(zoom: number): void;
  /** Asks the grid to scroll to and focus an MSR (in ranges[range] when given and it covers the MSR). */
  jump(index: number, range?: number, focus?: boolean): void;
}

export const clampZoom = (z: number) => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.round(z)));

export const createViewSlice = (): SliceCreator<ViewSlice> => (set, get) => ({
  selection: null,
  zoom: ZOOM_DEFAULT,
  focus: null,
  jumpTo: null,
  activePanel: 'explain',
  paletteOpen: false,
  helpOpen: false,
  draft: { op: 'rdmsr', indexText: '0x35', valueText: '0x0', host: false },
  draftError: null,
  compare: { mode: 'policies', b: null, profileA: 'linux-5.10', profileB: NEWEST_PROFILE },
  setView: (patch) => set(patch),
  setDraft: (patch) => set({ draft: { ...get().draft, ...patch }, draftError: null }),
  setZoom: (zoom) => set({ zoom: clampZoom(zoom) }),
  jump: (index, range, focus = true) =>
    set({
      jumpTo: {
        index,
        seq: (get().jumpTo?.seq ?? 0) + 1,
        ...(range === undefined ? {} : { range }),
        ...(focus ? {} : { focus: false }),
      },
    }),
});
