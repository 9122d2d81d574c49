import type { AccessType } from '../constants';
import { InputError, placeOf } from '../errors';
import { describeValue, parseMsrIndex } from '../numbers';
import { expectObject } from '../policy/policy-json';
import { msrByName } from '../vcpu/catalogue';
import type { MsrInterval } from './intervals';
import { normalizeIntervals } from './intervals';
import type { PackTargets } from './pack';

export const MSR_LIST_FORMAT = 'msr-list/1';

/** A list of MSRs with access types: what `msrfilter pack` reads. */
export interface MsrList {
  /** `allow`: the filter allows exactly these (DEFAULT_DENY); `deny`: it denies exactly these (DEFAULT_ALLOW). */
  mode: 'allow' | 'deny';
  read: MsrInterval[];
  write: MsrInterval[];
}

const ACCESS: Record<string, AccessType[]> = {
  r: ['read'],
  read: ['read'],
  w: ['write'],
  write: ['write'],
  rw: ['read', 'write'],
  wr: ['read', 'write'],
  'read|write': ['read', 'write'],
  'write|read': ['read', 'write'],
  both: ['read', 'write'],
};

function parseAccess(v: string, place: string): AccessType[] {
  const a = ACCESS[v.toLowerCase()];
  if (!a) throw new InputError(place, `${JSON.stringify(v)} is not an access type (r, w or rw)`);
  return a;
}

/** An MSR given by number or by name (IA32_TSC, TSC, MSR_IA32_TSC...). */
function parseMsr(token: string, place: string): number {
  if (/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(token)) return parseMsrIndex(token, place);
  const def = msrByName(token);
  if (!def) throw new InputError(place, `${JSON.stringify(token)} is neither an MSR index nor a known MSR name`);
  return def.index;
}

/** `0x10`, `IA32_TSC`, `0x10-0x1f` or `0x10..0x1f` (inclusive). */
function parseSpan(token: string, place: string): MsrInterval {
  const sep = token.includes('..') ? '..' : token.includes('-') ? '-' : null;
  if (sep) {
    const [a, b] = [token.slice(0, token.indexOf(sep)), token.slice(token.indexOf(sep) + sep.length)];
    const first = parseMsr(a.trim(), place);
    const last = parseMsr(b.trim(), place);
    if (last < first) throw new InputError(place, `range ${token} ends before it starts`);
    return [first, last + 1];
  }
  const i = parseMsr(token, place);
  return [i, i + 1];
}

function addEntry(list: MsrList, span: MsrInterval, access: AccessType[]) {
  for (const t of access) list[t].push(span);
}

/**
 * Reads a list: `msr-list/1` JSON (`{"format":"msr-list/1","mode":"allow","msrs":["0x10 rw",{"first":"0xc0000080","last":"0xc0000084","access":"r"}]}`),
 * a JSON array of such entries, or text with one MSR or range per line, optionally followed by its access type
 * (`r`, `w`, `rw`; default rw); `#` starts a comment. `mode` (default `allow`) may also come from the caller.
 */
export function parseMsrList(text: string, mode?: 'allow' | 'deny', what = '(list)'): MsrList {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(what, `not valid JSON (${(e as Error).message})`);
    }
    return msrListFromJson(json, mode);
  }
  const list: MsrList = { mode: mode ?? 'allow', read: [], write: [] };
  const lines = body.split(/\r?\n/);
  lines.forEach((raw, n) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const place = `line ${n + 1}`;
    const directive = /^mode\s*[:=]?\s*(allow|deny)$/i.exec(line);
    if (directive) {
      if (!mode) list.mode = directive[1].toLowerCase() as 'allow' | 'deny';
      return;
    }
    const parts = line.split(/[\s,]+/).filter(Boolean);
    if (parts.length > 2)
      throw new InputError(place, `expected an MSR or range and an access type, got ${JSON.stringify(line)}`);
    addEntry(list, parseSpan(parts[0], place), parts[1] ? parseAccess(parts[1], place) : ['read', 'write']);
  });
  return normalizeList(list);
}

function normalizeList(list: MsrList): MsrList {
  return { mode: list.mode, read: normalizeIntervals(list.read), write: normalizeIntervals(list.write) };
}

export function msrListFromJson(v: unknown, mode?: 'allow' | 'deny'): MsrList {
  let entries: unknown;
  let m: 'allow' | 'deny' = mode ?? 'allow';
  let at = '';
  if (Array.isArray(v)) entries = v;
  else {
    const obj = expectObject(v, '(list)');
    if (obj.format !== undefined && obj.format !== MSR_LIST_FORMAT) {
      throw new InputError('format', `expected "${MSR_LIST_FORMAT}", got ${describeValue(obj.format)}`);
    }
    if (obj.mode !== undefined) {
      if (obj.mode !== 'allow' && obj.mode !== 'deny') throw new InputError('mode', 'expected "allow" or "deny"');
      if (!mode) m = obj.mode;
    }
    entries = obj.msrs;
    at = 'msrs';
    if (!Array.isArray(entries)) throw new InputError('msrs', `expected an array, got ${describeValue(entries)}`);
  }
  const list: MsrList = { mode: m, read: [], write: [] };
  (entries as unknown[]).forEach((e, i) => {
    const place = placeOf(at, i);
    if (typeof e === 'string') {
      const parts = e.trim().split(/\s+/);
      addEntry(list, parseSpan(parts[0], place), parts[1] ? parseAccess(parts[1], place) : ['read', 'write']);
      return;
    }
    if (typeof e === 'number') {
      const i0 = parseMsrIndex(e, place);
      addEntry(list, [i0, i0 + 1], ['read', 'write']);
      return;
    }
    const obj = expectObject(e, place);
    const access =
      obj.access === undefined
        ? (['read', 'write'] as AccessType[])
        : typeof obj.access === 'string'
          ? parseAccess(obj.access, placeOf(place, 'access'))
          : (() => {
              throw new InputError(placeOf(place, 'access'), 'expected "r", "w" or "rw"');
            })();
    const one = (k: string) => {
      const x = obj[k];
      return typeof x === 'string' ? parseMsr(x.trim(), placeOf(place, k)) : parseMsrIndex(x, placeOf(place, k));
    };
    if (obj.index !== undefined || obj.name !== undefined) {
      const i0 = one(obj.index !== undefined ? 'index' : 'name');
      addEntry(list, [i0, i0 + 1], access);
    } else if (obj.first !== undefined && obj.last !== undefined) {
      const first = one('first');
      const last = one('last');
      if (last < first) throw new InputError(placeOf(place, 'last'), 'is before first');
      addEntry(list, [first, last + 1], access);
    } else throw new InputError(place, 'needs "index" (or "name"), or "first" and "last"');
  });
  return normalizeList(list);
}

export function listToTargets(list: MsrList): PackTargets {
  return { defaultAction: list.mode === 'allow' ? 'deny' : 'allow', read: list.read, write: list.write };
}

/** Writes a list back as text, one MSR or range per line with its access type. */
export function msrListToText(list: MsrList): string {
  const lines = [`mode ${list.mode}`];
  const fmt = (s: number, e: number) =>
    e - s === 1 ? `0x${s.toString(16)}` : `0x${s.toString(16)}-0x${(e - 1).toString(16)}`;
  for (const [s, e] of list.read) lines.push(`${fmt(s, e)} r`);
  for (const [s, e] of list.write) lines.push(`${fmt(s, e)} w`);
  return `${lines.join('\n')}\n`;
}
