import { InputError, msrByName, parseMsrIndex, parseU32, parseU64 } from '../../core/index';

/** The outcome of parsing what a user typed: the value, or a message to show next to the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function attempt<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: e instanceof InputError ? e.reason : String((e as Error).message) };
  }
}

/** An MSR index typed as decimal, 0x-hex or a catalogue name (`EFER`, `IA32_APIC_BASE`). */
export function parseMsrText(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'enter an MSR index (0x…) or name' };
  if (/^[0-9]/.test(t)) return attempt(() => parseMsrIndex(t, ''));
  const def = msrByName(t);
  if (def) return { ok: true, value: def.index };
  return { ok: false, error: `"${t}" is not a number or a known MSR name` };
}

/** A 32-bit count or flags value: decimal or 0x-hex. */
export function parseU32Text(text: string, what = 'a 32-bit value'): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'enter a number (decimal or 0x-hex)' };
  return attempt(() => parseU32(t, '', what));
}

/** A 64-bit value: decimal or 0x-hex. */
export function parseU64Text(text: string): Parsed<bigint> {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'enter a value (decimal or 0x-hex)' };
  return attempt(() => parseU64(t, ''));
}
