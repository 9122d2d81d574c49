import {
  type Decision,
  EXIT_REASON_BIT,
  type ExitReason,
  type FilterPolicy,
  getProfile,
  HOST_MODEL_IDS,
  HOST_MODELS,
  type HostModelId,
  KVM_MSR_FILTER_DEFAULT_DENY,
  msrName,
  PROFILE_IDS,
  PROFILES,
  type ProfileId,
  type VcpuModelId,
  type VmmReply,
} from '../../core/index';
import { getPreset, PRESETS } from '../presets';
import { savedRunOf } from '../state/derived';
import { emptyDocument, newSavedId, type PlaygroundDocument, type SavedAccess } from '../state/document';
import { canRedo, canUndo, redo, undo } from '../state/history';
import { parseMsrText, parseU64Text } from '../state/parse';
import {
  addRange,
  applyBits,
  type BitOp,
  duplicateRange,
  moveRange,
  removeRange,
  updateRange,
} from '../state/policy-edit';
import { DEFAULT_STAGE, THEMES, type ThemePreference } from '../state/prefs-slice';
import type { PlaygroundStore } from '../state/types';
import { type CompareState, type ConsoleDraft, type GridSelection, PANELS, type PanelId } from '../state/view-slice';
import type { ActionDef } from './types';

/** Copying and downloading (share/copy.ts, with the address-bar sync it uses) load on first use. */
const loadCopy = () => import('../share/copy');
const loadTools = () => import('../tools/tool-actions');

/** Declares an action with its parameter type (void: none). */
const define = <P = void>(def: ActionDef<P>): ActionDef<P> => def;

const st = (store: PlaygroundStore) => store.getState();
const rangeCount = (store: PlaygroundStore) => st(store).doc.policy.ranges.length;
const hasRange = (store: PlaygroundStore, index: number) => index >= 0 && index < rangeCount(store);
type RangeParam = { index: number };

function applySelection(store: PlaygroundStore, op: BitOp) {
  const sel = st(store).selection;
  if (sel) st(store).updatePolicy((p) => applyBits(p, sel.range, sel.from, sel.to, op));
}

const THEME_LABEL: Record<ThemePreference, string> = { system: 'system', light: 'light', dark: 'dark' };

/** Every user operation of the playground, by id. */
export const ACTIONS = {
  // --- history ----------------------------------------------------------------------------------------------
  'history.undo': define({
    label: 'Undo',
    shortcut: ['mod+z'],
    undo: 'history',
    palette: true,
    enabled: canUndo,
    perform: undo,
  }),
  'history.redo': define({
    label: 'Redo',
    shortcut: ['mod+shift+z', 'mod+y'],
    undo: 'history',
    palette: true,
    enabled: canRedo,
    perform: redo,
  }),

  // --- policy -----------------------------------------------------------------------------------------------
  'policy.new': define({
    label: 'New empty policy (DEFAULT_ALLOW, no ranges)',
    undo: 'records',
    palette: true,
    perform: (store) => {
      st(store).updatePolicy(() => emptyDocument().policy);
      st(store).setView({ selection: null });
    },
  }),
  'policy.setDefault': define<{ deny: boolean }>({
    label: 'Set the default action',
    undo: 'records',
    palette: () => [
      { label: 'Default action: DEFAULT_ALLOW', params: { deny: false } },
      { label: 'Default action: DEFAULT_DENY', params: { deny: true } },
    ],
    perform: (store, { deny }) =>
      st(store).updatePolicy((p) => ({
        ...p,
        flags: deny ? (p.flags | KVM_MSR_FILTER_DEFAULT_DENY) >>> 0 : (p.flags & ~KVM_MSR_FILTER_DEFAULT_DENY) >>> 0,
      })),
  }),
  'policy.setFlags': define<{ flags: number }>({
    label: 'Set the filter flags',
    undo: 'records',
    coalesce: () => 'policy.flags',
    perform: (store, { flags }) => st(store).updatePolicy((p) => ({ ...p, flags: flags >>> 0 })),
  }),
  'range.add': define({
    label: 'Add a range',
    undo: 'records',
    palette: true,
    enabled: (store) => rangeCount(store) < getProfile(st(store).doc.profile).maxRanges,
    perform: (store) => st(store).updatePolicy((p) => addRange(p)),
  }),
  'range.remove': define<RangeParam>({
    label: 'Remove the range',
    undo: 'records',
    enabled: (store, { index }) => hasRange(store, index),
    perform: (store, { index }) => {
      st(store).updatePolicy((p) => removeRange(p, index));
      st(store).setView({ selection: null });
    },
  }),
  'range.duplicate': define<RangeParam>({
    label: 'Duplicate the range',
    undo: 'records',
    enabled: (store, { index }) =>
      hasRange(store, index) && rangeCount(store) < getProfile(st(store).doc.profile).maxRanges,
    perform: (store, { index }) => st(store).updatePolicy((p) => duplicateRange(p, index)),
  }),
  'range.moveUp': define<RangeParam>({
    label: 'Move the range up',
    undo: 'records',
    enabled: (store, { index }) => hasRange(store, index) && index > 0,
    perform: (store, { index }) => {
      st(store).updatePolicy((p) => moveRange(p, index, -1));
      st(store).setView({ selection: null });
    },
  }),
  'range.moveDown': define<RangeParam>({
    label: 'Move the range down',
    undo: 'records',
    enabled: (store, { index }) => hasRange(store, index) && index < rangeCount(store) - 1,
    perform: (store, { index }) => {
      st(store).updatePolicy((p) => moveRange(p, index, 1));
      st(store).setView({ selection: null });
    },
  }),
  'range.setBase': define<{ index: number; base: number }>({
    label: 'Set the range base',
    undo: 'records',
    coalesce: ({ index }) => `range.${index}.base`,
    perform: (store, { index, base }) => st(store).updatePolicy((p) => updateRange(p, index, { base: base >>> 0 })),
  }),
  'range.setNmsrs': define<{ index: number; nmsrs: number }>({
    label: 'Set the range length (nmsrs)',
    undo: 'records',
    coalesce: ({ index }) => `range.${index}.nmsrs`,
    perform: (store, { index, nmsrs }) => st(store).updatePolicy((p) => updateRange(p, index, { nmsrs: nmsrs >>> 0 })),
  }),
  'range.setFlags': define<{ index: number; flags: number }>({
    label: 'Set the range flags',
    undo: 'records',
    coalesce: ({ index }) => `range.${index}.flags`,
    perform: (store, { index, flags }) => st(store).updatePolicy((p) => updateRange(p, index, { flags: flags >>> 0 })),
  }),
  'range.setComment': define<{ index: number; comment: string }>({
    label: 'Set the range comment',
    undo: 'records',
    coalesce: ({ index }) => `range.${index}.comment`,
    perform: (store, { index, comment }) =>
      st(store).updatePolicy((p) => updateRange(p, index, { comment: comment === '' ? undefined : comment })),
  }),
  'range.fill': define<{ index: number; op: BitOp }>({
    label: 'Fill the whole range',
    undo: 'records',
    enabled: (store, { index }) => hasRange(store, index),
    perform: (store, { index, op }) =>
      st(store).updatePolicy((p) => applyBits(p, index, 0, p.ranges[index]?.nmsrs ?? 0, op)),
  }),

  // --- grid -------------------------------------------------------------------------------------------------
  'grid.apply': define<{ range: number; from: number; to: number; op: BitOp }>({
    label: 'Paint bits',
    undo: 'records',
    perform: (store, { range, from, to, op }) => st(store).updatePolicy((p) => applyBits(p, range, from, to, op)),
  }),
  'selection.allow': define({
    label: 'Allow the selected MSRs',
    undo: 'records',
    palette: true,
    enabled: (store) => st(store).selection !== null,
    perform: (store) => applySelection(store, 'allow'),
  }),
  'selection.deny': define({
    label: 'Deny the selected MSRs',
    undo: 'records',
    palette: true,
    enabled: (store) => st(store).selection !== null,
    perform: (store) => applySelection(store, 'deny'),
  }),
  'selection.invert': define({
    label: 'Invert the selected MSRs',
    undo: 'records',
    palette: true,
    enabled: (store) => st(store).selection !== null,
    perform: (store) => applySelection(store, 'invert'),
  }),
  'selection.clear': define({
    label: 'Clear the selection',
    undo: 'none',
    palette: true,
    enabled: (store) => st(store).selection !== null,
    perform: (store) => st(store).setView({ selection: null }),
  }),
  'grid.select': define<{ selection: GridSelection | null }>({
    label: 'Select MSRs on the grid',
    undo: 'none',
    perform: (store, { selection }) => st(store).setView({ selection }),
  }),
  'grid.setZoom': define<{ zoom: number }>({
    label: 'Set the grid zoom',
    undo: 'none',
    perform: (store, { zoom }) => st(store).setZoom(zoom),
  }),
  'grid.zoomIn': define({
    label: 'Zoom the grid in',
    undo: 'none',
    palette: true,
    enabled: (store) => st(store).zoom < 24,
    perform: (store) => st(store).setZoom(st(store).zoom + 2),
  }),
  'grid.zoomOut': define({
    label: 'Zoom the grid out',
    undo: 'none',
    palette: true,
    enabled: (store) => st(store).zoom > 2,
    perform: (store) => st(store).setZoom(st(store).zoom - 2),
  }),
  'grid.jump': define<{ index: number; range?: number; focus?: boolean }>({
    label: 'Jump to an MSR on the grid',
    undo: 'none',
    perform: (store, { index, range, focus }) => st(store).jump(index, range, focus),
  }),
  'grid.jumpPrompt': define({
    label: 'Jump to MSR…',
    shortcut: ['g'],
    undo: 'none',
    palette: true,
    perform: () => {
      const input = document.querySelector<HTMLInputElement>('.msr-grid-jump input');
      input?.scrollIntoView?.({ block: 'nearest' });
      input?.focus();
      input?.select();
    },
  }),

  // --- console ----------------------------------------------------------------------------------------------
  'access.fire': define({
    label: 'Fire the access',
    shortcut: ['mod+enter'],
    undo: 'none',
    palette: true,
    perform: (store) => {
      const req = parseDraft(store);
      if (req) st(store).fire(req);
    },
  }),
  'access.save': define({
    label: 'Save the access as a test (expects its current verdict)',
    undo: 'records',
    palette: true,
    perform: (store) => {
      const req = parseDraft(store);
      if (!req) return;
      const doc = st(store).doc;
      const access: SavedAccess = { id: newSavedId(), ...req, expect: null };
      const saved = [...doc.saved, access];
      const expect = savedRunOf({ ...doc, saved })?.outcomes[saved.length - 1]?.result.decision ?? null;
      st(store).updateDoc((d) => ({ ...d, saved: [...d.saved, { ...access, expect }] }));
      // the new row is at the end of the list, often off screen: say that it is there
      const verdict =
        expect === 'eperm'
          ? 'EPERM'
          : expect === 'gp'
            ? req.host
              ? 'an ioctl error'
              : '#GP'
            : (expect ?? 'no decision');
      st(store).showToast(`Saved as test ${saved.length}, at the end of Saved accesses, expecting ${verdict}`);
    },
  }),
  'saved.remove': define<{ id: string }>({
    label: 'Remove the saved access',
    undo: 'records',
    perform: (store, { id }) => st(store).updateDoc((d) => ({ ...d, saved: d.saved.filter((a) => a.id !== id) })),
  }),
  'saved.setExpect': define<{ id: string; expect: Decision | null }>({
    label: 'Set the expected verdict',
    undo: 'records',
    perform: (store, { id, expect }) =>
      st(store).updateDoc((d) => ({ ...d, saved: d.saved.map((a) => (a.id === id ? { ...a, expect } : a)) })),
  }),
  'saved.edit': define<{ id: string }>({
    label: 'Copy the saved access into the console',
    undo: 'none',
    perform: (store, { id }) => {
      const a = st(store).doc.saved.find((x) => x.id === id);
      if (!a) return;
      st(store).setDraft({
        op: a.op,
        indexText: `0x${a.index.toString(16)}`,
        valueText: `0x${a.value.toString(16)}`,
        host: a.host,
      });
    },
  }),
  'console.edit': define<{ draft: Partial<ConsoleDraft> }>({
    label: 'Edit the access in the console',
    undo: 'none',
    perform: (store, { draft }) => st(store).setDraft(draft),
  }),
  'console.use': define<{ index: number }>({
    label: 'Put an MSR into the console',
    undo: 'none',
    perform: (store, { index }) => st(store).setDraft({ indexText: msrName(index) ?? `0x${index.toString(16)}` }),
  }),
  'log.clear': define({
    label: 'Clear the results log',
    undo: 'none',
    palette: true,
    enabled: (store) => st(store).log.length > 0,
    perform: (store) => st(store).clearLog(),
  }),
  'vm.reset': define({
    label: 'Reset the VM (fresh vCPU state, empty log)',
    undo: 'none',
    palette: true,
    perform: (store) => st(store).resetVm(),
  }),

  // --- VM settings ------------------------------------------------------------------------------------------
  'settings.profile': define<{ profile: ProfileId }>({
    label: 'Switch the kernel profile',
    undo: 'records',
    palette: () =>
      PROFILE_IDS.map((id) => ({ label: `Kernel profile: ${PROFILES[id].label}`, params: { profile: id } })),
    perform: (store, { profile }) => st(store).updateDoc((d) => ({ ...d, profile })),
  }),
  'settings.vcpu': define<{ vcpu: VcpuModelId }>({
    label: 'Switch the vCPU model',
    undo: 'records',
    perform: (store, { vcpu }) => st(store).updateDoc((d) => ({ ...d, vcpu })),
  }),
  'settings.host': define<{ hostModel: HostModelId }>({
    label: 'Switch the host model',
    undo: 'records',
    palette: () =>
      HOST_MODEL_IDS.map((id) => ({ label: `Host model: ${HOST_MODELS[id].label}`, params: { hostModel: id } })),
    perform: (store, { hostModel }) => st(store).updateDoc((d) => ({ ...d, hostModel })),
  }),
  'settings.exit': define<{ reason: ExitReason; on: boolean }>({
    label: 'Enable or disable a user-space exit reason',
    undo: 'records',
    perform: (store, { reason, on }) =>
      st(store).updateDoc((d) => {
        const bit = BigInt(EXIT_REASON_BIT[reason]);
        const mask = d.exits ?? 0n;
        return { ...d, exits: on ? mask | bit : mask & ~bit };
      }),
  }),
  'settings.ignoreMsrs': define<{ on: boolean }>({
    label: 'Set kvm.ignore_msrs',
    undo: 'records',
    perform: (store, { on }) => st(store).updateDoc((d) => ({ ...d, ignoreMsrs: on })),
  }),
  'settings.vmm': define<{ type: 'read' | 'write'; reply: VmmReply }>({
    label: "Set the VMM's answer to exits",
    undo: 'records',
    coalesce: ({ type }) => `vmm.${type}`,
    perform: (store, { type, reply }) => st(store).updateDoc((d) => ({ ...d, vmm: { ...d.vmm, [type]: reply } })),
  }),

  // --- presets, panels, palette, theme ----------------------------------------------------------------------
  'preset.load': define<{ id: string }>({
    label: 'Load a preset',
    undo: 'records',
    palette: () => PRESETS.map((p) => ({ label: `Load preset: ${p.label}`, params: { id: p.id } })),
    enabled: (_store, { id }) => getPreset(id) !== undefined,
    perform: (store, { id }) => {
      const preset = getPreset(id);
      if (!preset) return;
      st(store).setDoc(preset.build());
      st(store).setView({ selection: null });
    },
  }),
  'panel.show': define<{ panel: PanelId }>({
    label: 'Show a panel',
    undo: 'none',
    palette: () => PANELS.map((p) => ({ label: `Show: ${p.label}`, params: { panel: p.id } })),
    perform: (store, { panel }) => st(store).setView({ activePanel: panel }),
  }),
  'compare.snapshot': define({
    label: 'Compare: snapshot the current policy as B',
    undo: 'none',
    palette: true,
    perform: (store) =>
      st(store).setView({
        activePanel: 'compare',
        compare: {
          ...st(store).compare,
          mode: 'policies',
          b: { label: `snapshot taken at ${new Date().toLocaleTimeString()}`, policy: st(store).doc.policy },
        },
      }),
  }),
  'compare.preset': define<{ id: string }>({
    label: 'Compare with a preset as B',
    undo: 'none',
    palette: () => PRESETS.map((p) => ({ label: `Compare with preset: ${p.label}`, params: { id: p.id } })),
    perform: (store, { id }) => {
      const preset = getPreset(id);
      if (!preset) return;
      st(store).setView({
        activePanel: 'compare',
        compare: {
          ...st(store).compare,
          mode: 'policies',
          b: { label: `preset ${preset.label}`, policy: preset.build().policy },
        },
      });
    },
  }),
  'compare.configure': define<{ compare: Partial<Omit<CompareState, 'b'>> }>({
    label: 'Choose what to compare',
    undo: 'none',
    palette: () => [
      { label: 'Compare: two policies (current vs B)', params: { compare: { mode: 'policies' } } },
      { label: 'Compare: one policy under two kernel profiles', params: { compare: { mode: 'profiles' } } },
      { label: 'Compare: the saved accesses on two hosts', params: { compare: { mode: 'hosts' } } },
    ],
    perform: (store, { compare }) =>
      st(store).setView({ activePanel: 'compare', compare: { ...st(store).compare, ...compare } }),
  }),
  // --- the stage: side panes ------------------------------------------------------------------------------
  'layout.toggleEditor': define({
    label: 'Show or hide the policy pane',
    shortcut: ['alt+1'],
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setStage({ editorOpen: !st(store).stage.editorOpen }),
  }),
  'layout.toggleConsole': define({
    label: 'Show or hide the console pane',
    shortcut: ['alt+3'],
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setStage({ consoleOpen: !st(store).stage.consoleOpen }),
  }),
  'layout.resize': define<{ pane: 'editor' | 'console'; width: number }>({
    label: 'Resize a pane',
    undo: 'none',
    perform: (store, { pane, width }) =>
      st(store).setStage(pane === 'editor' ? { editorWidth: width } : { consoleWidth: width }),
  }),
  'layout.reset': define({
    label: 'Reset the pane layout',
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setStage({ ...DEFAULT_STAGE }),
  }),

  // --- share links, import, export ---------------------------------------------------------------------------
  'share.copyLink': define({
    label: 'Copy link',
    shortcut: ['mod+shift+l'],
    undo: 'none',
    palette: true,
    perform: (store) => void loadCopy().then((m) => m.copyLink(store)),
  }),
  'share.import': define({
    label: 'Import…',
    shortcut: ['mod+o'],
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setDialog({ kind: 'import' }),
  }),
  'share.importFile': define<{ file: File }>({
    label: 'Import a file',
    undo: 'none',
    perform: (store, { file }) => st(store).setDialog({ kind: 'import', file }),
  }),
  'share.export': define({
    label: 'Export…',
    shortcut: ['mod+shift+e'],
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setDialog({ kind: 'export' }),
  }),
  'document.import': define<{ doc: PlaygroundDocument } | { policy: FilterPolicy }>({
    label: 'Import a document or a policy',
    undo: 'records',
    perform: (store, params) => {
      if ('doc' in params) st(store).setDoc(params.doc);
      else st(store).updatePolicy(() => params.policy);
      st(store).setView({ selection: null });
    },
  }),
  'share.copyText': define<{ text: string; what: string }>({
    label: 'Copy to the clipboard',
    undo: 'none',
    perform: (store, { text, what }) => void loadCopy().then((m) => m.copyText(store, text, what)),
  }),
  'share.download': define<{ text: string; filename: string; type: string }>({
    label: 'Download as a file',
    undo: 'none',
    perform: (_store, { text, filename, type }) => void loadCopy().then((m) => m.downloadText(text, filename, type)),
  }),
  'dialog.close': define({
    label: 'Close the dialog',
    undo: 'none',
    enabled: (store) => st(store).dialog !== null || st(store).helpOpen,
    perform: (store) => {
      if (st(store).dialog !== null) st(store).setDialog(null);
      if (st(store).helpOpen) st(store).setView({ helpOpen: false });
    },
  }),
  'help.open': define({
    label: 'Help: keyboard shortcuts',
    shortcut: ['?', 'shift+?'],
    undo: 'none',
    palette: true,
    perform: (store) => st(store).setView({ helpOpen: true, paletteOpen: false }),
  }),
  'document.restorePrevious': define<{ id: string }>({
    label: 'Restore the work a link replaced',
    undo: 'records',
    perform: (store, { id }) =>
      void import('../share/previous').then((m) => {
        if (m.restorePrevious(store)) st(store).dismissNotice(id);
      }),
  }),
  // --- policy tools: lint (a panel), optimize (pack), learn from a recorded guest ---------------------------
  'tools.optimize': define({
    label: 'Optimize the policy (fewest ranges, proven equal)',
    undo: 'records',
    palette: true,
    perform: (store) => void loadTools().then((m) => m.optimizePolicy(store)),
  }),
  'tools.replayTrace': define<{ text: string }>({
    label: 'Replay a recorded trace: save the accesses the policy denies',
    undo: 'records',
    perform: (store, { text }) => void loadTools().then((m) => m.replayTrace(store, text)),
  }),
  'tools.learnPolicy': define<{ text: string }>({
    label: 'Learn the smallest DEFAULT_DENY policy from a recorded trace',
    undo: 'records',
    perform: (store, { text }) => void loadTools().then((m) => m.applyLearnedPolicy(store, text)),
  }),
  'notice.dismiss': define<{ id: string }>({
    label: 'Dismiss the message',
    undo: 'none',
    perform: (store, { id }) => st(store).dismissNotice(id),
  }),
  'palette.open': define({
    label: 'Open the command palette',
    shortcut: ['mod+k'],
    undo: 'none',
    perform: (store) => st(store).setView({ paletteOpen: true }),
  }),
  'palette.close': define({
    label: 'Close the command palette',
    undo: 'none',
    perform: (store) => st(store).setView({ paletteOpen: false }),
  }),
  'theme.cycle': define({
    label: 'Switch theme (system, light, dark)',
    undo: 'none',
    palette: true,
    perform: (store) => {
      const t = st(store).theme;
      st(store).setTheme(THEMES[(THEMES.indexOf(t) + 1) % THEMES.length]);
    },
  }),
  'theme.set': define<{ theme: ThemePreference }>({
    label: 'Set the theme',
    undo: 'none',
    palette: () => THEMES.map((t) => ({ label: `Theme: ${THEME_LABEL[t]}`, params: { theme: t } })),
    perform: (store, { theme }) => st(store).setTheme(theme),
  }),
};

export type ActionId = keyof typeof ACTIONS;
/** The parameters an action takes (void: none). */
export type ActionParams<K extends ActionId> = (typeof ACTIONS)[K] extends ActionDef<infer P> ? P : never;

/** Parses the console's draft into a request; on a bad field, shows the error and returns null. */
function parseDraft(store: PlaygroundStore) {
  const { draft, setView } = st(store);
  const index = parseMsrText(draft.indexText);
  if (!index.ok) {
    setView({ draftError: `MSR: ${index.error}` });
    return null;
  }
  let value = 0n;
  if (draft.op === 'wrmsr') {
    const v = parseU64Text(draft.valueText);
    if (!v.ok) {
      setView({ draftError: `Value: ${v.error}` });
      return null;
    }
    value = v.value;
  }
  setView({ draftError: null });
  return { op: draft.op, index: index.value, value, host: draft.host };
}
