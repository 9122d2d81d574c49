import type { AccessType } from '../constants';

/** One guest access read from a recorded trace or a guest's dmesg. */
export interface RecordedAccess {
  /** 1-based line number in the input. */
  line: number;
  op: AccessType;
  index: number;
  /** The value read or written (dmesg's RDMSR lines carry none: 0). */
  value: bigint;
  /** The guest got #GP (the trace's " (#GP)", or any dmesg "unchecked MSR access error"). */
  gp: boolean;
  source: 'trace' | 'dmesg';
}

export interface MalformedLine {
  line: number;
  text: string;
  reason: string;
}

export interface ParsedTrace {
  accesses: RecordedAccess[];
  malformed: MalformedLine[];
  /** Lines of other ftrace events and other dmesg messages, skipped on purpose. */
  ignored: number;
}

// include/trace/events/kvm.h... arch/x86/kvm/trace.h TRACE_EVENT(kvm_msr):
//   "msr_%s %x = 0x%llx%s", write ? "write" : "read", ecx, data, exception ? " (#GP)" : ""
const KVM_MSR = /\bkvm_msr:\s+msr_(read|write)\s+([0-9a-fA-F]{1,8})\s+=\s+0x([0-9a-fA-F]{1,16})(\s+\(#GP\))?\s*$/;
// arch/x86/mm/extable.c ex_handler_msr():
//   "unchecked MSR access error: RDMSR from 0x%x at rIP: 0x%lx (%pS)\n"
//   "unchecked MSR access error: WRMSR to 0x%x (tried to write 0x%08x%08x) at rIP: 0x%lx (%pS)\n"
const DMESG_RD = /unchecked MSR access error: RDMSR from 0x([0-9a-fA-F]{1,8})(?:\s|$)/;
const DMESG_WR = /unchecked MSR access error: WRMSR to 0x([0-9a-fA-F]{1,8}) \(tried to write 0x([0-9a-fA-F]{1,16})\)/;
// `task-pid [cpu] flags timestamp: event:` as the trace file and `trace-cmd report` print it
const FTRACE_EVENT = /^\s*\S.*\s+\[\d+\]\s+(?:\S+\s+)?\d+\.\d+:\s+[\w:]+:/;
const DMESG_LINE = /^\s*(?:<\d+>)?\s*\[\s*\d+\.\d+\]/;
const MAX_LINE = 4096;

/**
 * Reads the text of `trace-cmd report` or the tracefs `trace` file for the kvm:kvm_msr event, and Linux guests'
 * dmesg `unchecked MSR access error` lines, in any mix. Headers and other events are skipped; a line that names
 * kvm_msr or an unchecked MSR access but does not parse, or that is neither ftrace nor dmesg, is reported with its
 * line number and skipped: never fatal.
 */
export function parseRecordedTrace(text: string): ParsedTrace {
  const accesses: RecordedAccess[] = [];
  const malformed: MalformedLine[] = [];
  let ignored = 0;
  const lines = text.split(/\r\n|\n|\r/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = n + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) continue;
    const shown = t.length > 120 ? `${t.slice(0, 120)}…` : t;
    if (raw.length > MAX_LINE) {
      malformed.push({ line, text: shown, reason: `longer than ${MAX_LINE} characters` });
      continue;
    }
    if (t.includes('kvm_msr')) {
      const m = KVM_MSR.exec(t);
      if (!m) {
        malformed.push({
          line,
          text: shown,
          reason: 'a kvm_msr line that is not "msr_read|msr_write INDEX = 0xVALUE [(#GP)]"',
        });
        continue;
      }
      accesses.push({
        line,
        op: m[1] as AccessType,
        index: Number.parseInt(m[2], 16) >>> 0,
        value: BigInt(`0x${m[3]}`),
        gp: m[4] !== undefined,
        source: 'trace',
      });
      continue;
    }
    if (t.includes('unchecked MSR access error')) {
      const w = DMESG_WR.exec(t);
      const r = w ? null : DMESG_RD.exec(t);
      if (!w && !r) {
        malformed.push({
          line,
          text: shown,
          reason:
            'an "unchecked MSR access error" line without "RDMSR from 0x…" or "WRMSR to 0x… (tried to write 0x…)"',
        });
        continue;
      }
      accesses.push({
        line,
        op: w ? 'write' : 'read',
        index: Number.parseInt((w ?? r)?.[1] as string, 16) >>> 0,
        value: w ? BigInt(`0x${w[2]}`) : 0n,
        gp: true,
        source: 'dmesg',
      });
      continue;
    }
    if (FTRACE_EVENT.test(t) || DMESG_LINE.test(t) || /^(cpus=|CPU \d+ is empty|version = )/.test(t)) {
      ignored++;
      continue;
    }
    malformed.push({ line, text: shown, reason: 'neither an ftrace event line nor a dmesg line' });
  }
  return { accesses, malformed, ignored };
}

/**
 * One access as the tracefs `trace` file prints it, or (`style: 'trace-cmd'`) as `trace-cmd report` does (the
 * inverse of the parser, for tests and fixtures). `task` is the thread's name (QEMU's vCPU threads are `CPU 0/KVM`).
 */
export function formatTraceLine(
  a: Pick<RecordedAccess, 'op' | 'index' | 'value' | 'gp'>,
  timestamp = 1,
  opts: { style?: 'tracefs' | 'trace-cmd'; task?: string; pid?: number; cpu?: number } = {},
): string {
  const task = `${opts.task ?? 'qemu-system-x86'}-${opts.pid ?? 1}`;
  const cpu = `[${String(opts.cpu ?? 0).padStart(3, '0')}]`;
  const event = `msr_${a.op} ${a.index.toString(16)} = 0x${a.value.toString(16)}${a.gp ? ' (#GP)' : ''}`;
  if (opts.style === 'trace-cmd')
    return `${task.padStart(16)} ${cpu} ${timestamp.toFixed(6)}: kvm_msr:              ${event}`;
  return ` ${task.padEnd(20)} ${cpu} .....  ${timestamp.toFixed(6).padStart(12)}: kvm_msr: ${event}`;
}

/** A guest kernel's dmesg line for an access that took #GP (arch/x86/mm/extable.c ex_handler_msr()). */
export function formatDmesgLine(a: Pick<RecordedAccess, 'op' | 'index' | 'value'>, timestamp = 1): string {
  const hex = (v: bigint) => v.toString(16).padStart(8, '0');
  const at = 'at rIP: 0xffffffff81074b44 (native_read_msr+0x4/0x30)';
  const body =
    a.op === 'read'
      ? `RDMSR from 0x${a.index.toString(16)} ${at}`
      : `WRMSR to 0x${a.index.toString(16)} (tried to write 0x${hex(a.value >> 32n)}${hex(a.value & 0xffffffffn)}) ${at}`;
  return `[${timestamp.toFixed(6).padStart(12)}] unchecked MSR access error: ${body}`;
}

/** A distinct MSR access of a trace: each (op, index) once, with how often and whether it ever got #GP. */
export interface DistinctAccess {
  op: AccessType;
  index: number;
  count: number;
  gp: number;
  firstLine: number;
}

export function distinctAccesses(accesses: readonly RecordedAccess[]): DistinctAccess[] {
  const map = new Map<string, DistinctAccess>();
  for (const a of accesses) {
    const key = `${a.op}:${a.index}`;
    const d = map.get(key);
    if (d) {
      d.count++;
      if (a.gp) d.gp++;
    } else map.set(key, { op: a.op, index: a.index, count: 1, gp: a.gp ? 1 : 0, firstLine: a.line });
  }
  return [...map.values()].sort((a, b) => a.index - b.index || (a.op === b.op ? 0 : a.op === 'read' ? -1 : 1));
}
