#!/usr/bin/env node
// Measures how the real kernel treats MSRs, through the project's helper (oracle/kvm-oracle.c).
//
//   node oracle/survey.mjs [--msrs-only | --checks-only | --sweep-only] [--jobs N] [--out DIR]
//   npx tsx oracle/survey.mjs --kvm=svm-6.1 [...]     (kvm_amd on Debian's 6.1 under QEMU TCG, oracle/qemu/)
//
// Writes into DIR (default oracle/survey, or oracle/survey/svm-6.1 for --kvm=svm-6.1): bare.json, linux64.json (one
// object per MSR), checks.json (the filter/validation experiments and the pass-through check), reads-*.json and
// windows-*.json (the read sweep and the write probe of every MSR KVM knows in the swept windows,
// survey-sweep.mjs), TABLES.md (per-MSR tables) and SUMMARY.md, then formats them with the project's Biome if it
// is installed. The part of SUMMARY.md between the `manual` markers is kept from the existing file (hand-written
// analysis). It also writes host.json: the host model, profile, backend, kernel and CPU as measured (for this
// machine's /dev/kvm the host model as `msrfilter host` finds it, which needs tsx: `npm run survey` runs it so).
// Every MSR experiment of bare/linux64.json runs on a fresh VM, so results don't depend on each other.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignTables } from './md-tables.mjs';
import { BIN, backendName, bootSvm61, closeBackend, hex8, hex16, machine, parse, session } from './survey-backend.mjs';
import {
  checkPassthrough,
  PROBE_VALUES,
  probeWindows,
  SWEPT_WINDOWS,
  sweepReads,
  sweepWrites,
} from './survey-sweep.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
};
const KVM = option('--kvm');
const OUT = option('--out') ?? join(here, 'survey', ...(KVM ? [KVM] : []));
const jobsArg = option('--jobs');
let JOBS = jobsArg ? Number(jobsArg) : Math.max(2, cpus().length * 2);
const MODELS = ['bare', 'linux64'];

const ALL1 = (1n << 64n) - 1n;

// ---------------------------------------------------------------- helpers

/** Guest read outcome as a short string: `ok 0x...` or `gp <kreason>` (with `exit` = kreason under mask 0x7). */
function rd(line) {
  const o = parse(line);
  if (!o) return 'fatal';
  return o.result === 'ok' ? `ok ${o.value}` : `gp ${o.kreason}`;
}
function wr(line) {
  const o = parse(line);
  if (!o) return 'fatal';
  return o.result === 'ok' ? (o.kreason === 'none' ? 'ok' : `ok ${o.kreason}`) : `gp ${o.kreason}`;
}
function hostrd(line) {
  const o = parse(line);
  if (!o) return 'fatal';
  return o.result === 'ok' ? `ok ${o.value}` : 'error';
}
function hostwr(line) {
  const o = parse(line);
  if (!o) return 'fatal';
  return o.result;
}

async function pool(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(JOBS, items.length) }, worker));
  return results;
}

function filterBlock(flags, ranges) {
  if (flags === null) return 'filter none';
  const lines = [`filter ${flags}`];
  for (const r of ranges) lines.push(`range ${r.join(' ')}`);
  lines.push('end');
  return lines.join('\n');
}

/** A bitmap hex string of nbytes bytes, all `fill`, with the given bits cleared / set. */
function bitmap(nbytes, fill, { clear = [], set = [] } = {}) {
  const b = new Uint8Array(nbytes).fill(fill);
  for (const i of clear) b[i >> 3] &= ~(1 << (i & 7));
  for (const i of set) b[i >> 3] |= 1 << (i & 7);
  return Buffer.from(b).toString('hex') || '-';
}

// ---------------------------------------------------------------- MSR list

const NAMES = {
  0: 'IA32_P5_MC_ADDR',
  1: 'IA32_P5_MC_TYPE',
  6: 'IA32_MONITOR_FILTER_SIZE',
  8: '(unassigned 0x8)',
  9: '(unassigned 0x9)',
  16: 'IA32_TSC',
  17: 'MSR_KVM_WALL_CLOCK',
  18: 'MSR_KVM_SYSTEM_TIME',
  23: 'IA32_PLATFORM_ID',
  27: 'IA32_APIC_BASE',
  42: 'MSR_EBL_CR_POWERON',
  52: 'MSR_SMI_COUNT',
  53: 'MSR_CORE_THREAD_COUNT',
  58: 'IA32_FEATURE_CONTROL',
  59: 'IA32_TSC_ADJUST',
  72: 'IA32_SPEC_CTRL',
  73: 'IA32_PRED_CMD',
  121: 'IA32_UCODE_WRITE',
  139: 'IA32_UCODE_REV',
  158: 'IA32_SMBASE',
  193: 'IA32_PMC0',
  206: 'MSR_PLATFORM_INFO',
  231: 'IA32_MPERF',
  232: 'IA32_APERF',
  254: 'IA32_MTRRCAP',
  266: 'IA32_ARCH_CAPABILITIES',
  267: 'IA32_FLUSH_CMD',
  290: 'IA32_TSX_CTRL',
  320: 'MSR_MISC_FEATURES_ENABLES',
  372: 'IA32_SYSENTER_CS',
  373: 'IA32_SYSENTER_ESP',
  374: 'IA32_SYSENTER_EIP',
  377: 'IA32_MCG_CAP',
  378: 'IA32_MCG_STATUS',
  379: 'IA32_MCG_CTL',
  390: 'IA32_PERFEVTSEL0',
  408: 'IA32_PERF_STATUS',
  409: 'IA32_PERF_CTL',
  416: 'IA32_MISC_ENABLE',
  452: 'IA32_XFD',
  453: 'IA32_XFD_ERR',
  473: 'IA32_DEBUGCTL',
  508: 'MSR_IA32_POWER_CTL',
  592: 'IA32_MTRR_FIX64K_00000',
  600: 'IA32_MTRR_FIX16K_80000',
  601: 'IA32_MTRR_FIX16K_A0000',
  631: 'IA32_PAT',
  767: 'IA32_MTRR_DEF_TYPE',
  837: 'IA32_PERF_CAPABILITIES',
  909: 'IA32_FIXED_CTR_CTRL',
  911: 'IA32_PERF_GLOBAL_CTRL',
  1152: 'IA32_VMX_BASIC',
  1542: 'MSR_RAPL_POWER_UNIT',
  1553: 'MSR_PKG_ENERGY_STATUS',
  1561: 'MSR_DRAM_ENERGY_STATUS',
  1593: 'MSR_PP0_ENERGY_STATUS',
  1601: 'MSR_PP1_ENERGY_STATUS',
  1760: 'IA32_TSC_DEADLINE',
  2048: 'x2APIC (0x800, reserved)',
  2050: 'x2APIC ID',
  2051: 'x2APIC VERSION',
  2056: 'x2APIC TPR',
  2059: 'x2APIC EOI',
  2063: 'x2APIC SVR',
  2096: 'x2APIC ICR',
  2111: 'x2APIC SELF_IPI',
  2303: 'x2APIC (0x8ff, reserved)',
  3488: 'IA32_XSS',
  1073741824: 'HV_X64_MSR_GUEST_OS_ID',
  1073741825: 'HV_X64_MSR_HYPERCALL',
  1073741826: 'HV_X64_MSR_VP_INDEX',
  1073741827: 'HV_X64_MSR_RESET',
  1073741856: 'HV_X64_MSR_TIME_REF_COUNT',
  1263947008: 'MSR_KVM_WALL_CLOCK_NEW',
  1263947009: 'MSR_KVM_SYSTEM_TIME_NEW',
  1263947010: 'MSR_KVM_ASYNC_PF_EN',
  1263947011: 'MSR_KVM_STEAL_TIME',
  1263947012: 'MSR_KVM_PV_EOI_EN',
  1263947013: 'MSR_KVM_POLL_CONTROL',
  1263947014: 'MSR_KVM_ASYNC_PF_INT',
  1263947015: 'MSR_KVM_ASYNC_PF_ACK',
  1263947016: 'MSR_KVM_MIGRATION_CONTROL',
  3221225600: 'IA32_EFER',
  3221225601: 'MSR_STAR',
  3221225602: 'MSR_LSTAR',
  3221225603: 'MSR_CSTAR',
  3221225604: 'MSR_SYSCALL_MASK',
  3221225728: 'MSR_FS_BASE',
  3221225729: 'MSR_GS_BASE',
  3221225730: 'MSR_KERNEL_GS_BASE',
  3221225731: 'MSR_TSC_AUX',
  3221225732: 'MSR_AMD64_TSC_RATIO',
  3221291008: 'MSR_K7_EVNTSEL0',
  3221291009: 'MSR_K7_EVNTSEL1',
  3221291010: 'MSR_K7_EVNTSEL2',
  3221291011: 'MSR_K7_EVNTSEL3',
  3221291012: 'MSR_K7_PERFCTR0',
  3221291013: 'MSR_K7_PERFCTR1',
  3221291014: 'MSR_K7_PERFCTR2',
  3221291015: 'MSR_K7_PERFCTR3',
  3221291024: 'MSR_AMD64_SYSCFG',
  3221291029: 'MSR_K7_HWCR',
  3221291039: 'MSR_AMD64_NB_CFG',
  3221291093: 'MSR_K8_INT_PENDING_MSG',
  3221291096: 'MSR_FAM10H_MMIO_CONF_BASE',
  3221291284: 'MSR_VM_CR',
  3221291287: 'MSR_VM_HSAVE_PA',
  3221291328: 'MSR_AMD64_OSVW_ID_LENGTH',
  3221295138: 'MSR_AMD64_DC_CFG',
  3221295139: 'MSR_AMD64_BU_CFG2',
  3221295145: 'MSR_AMD64_DE_CFG',
  1196379904: 'MSR_NON_EXISTENT (selftest)',
  3735928559: '(0xdeadbeef)',
  4294967295: '(0xffffffff)',
};
for (let i = 0; i < 8; i++) {
  NAMES[0x200 + 2 * i] = `IA32_MTRR_PHYSBASE${i}`;
  NAMES[0x201 + 2 * i] = `IA32_MTRR_PHYSMASK${i}`;
}
for (let i = 0; i < 8; i++) NAMES[0x268 + i] = `IA32_MTRR_FIX4K_${(0xc0000 + i * 0x8000).toString(16).toUpperCase()}`;

function msrName(i, bankCount) {
  const past = (n) => (n === bankCount ? ' (first bank past MCG_CAP.Count)' : '');
  let mca = '';
  if (i >= 0x400 && i < 0x404 + 4 * bankCount) {
    const n = (i - 0x400) >> 2;
    mca = `IA32_MC${n}_${['CTL', 'STATUS', 'ADDR', 'MISC'][i & 3]}${past(n)}`;
  } else if (i >= 0x280 && i <= 0x280 + bankCount) mca = `IA32_MC${i - 0x280}_CTL2${past(i - 0x280)}`;
  if (mca && NAMES[i]) return `${mca} = ${NAMES[i]}`;
  return mca || NAMES[i] || '';
}

function msrList(bankCount) {
  const l = [
    0x0, 0x1, 0x6, 0x8, 0x9, 0x10, 0x11, 0x12, 0x17, 0x1b, 0x2a, 0x34, 0x35, 0x3a, 0x3b, 0x48, 0x49, 0x79, 0x8b, 0x9e,
    0xc1, 0xce, 0xe7, 0xe8, 0xfe, 0x10a, 0x10b, 0x122, 0x140, 0x174, 0x175, 0x176, 0x179, 0x17a, 0x17b, 0x186, 0x198,
    0x199, 0x1a0, 0x1c4, 0x1c5, 0x1d9, 0x1fc, 0x250, 0x258, 0x259, 0x277, 0x2ff, 0x345, 0x38d, 0x38f, 0x480, 0x606,
    0x611, 0x619, 0x639, 0x641, 0x6e0, 0x800, 0x802, 0x803, 0x808, 0x80b, 0x80f, 0x830, 0x83f, 0x8ff, 0xda0, 0x40000020,
    0xc0010010, 0xc0010015, 0xc001001f, 0xc0010055, 0xc0010058, 0xc0010114, 0xc0010117, 0xc0010140, 0xc0011022,
    0xc0011023, 0xc0011029, 0x474f4f00, 0xdeadbeef, 0xffffffff,
  ];
  const range = (a, b) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
  l.push(...range(0x200, 0x20f), ...range(0x268, 0x26f), ...range(0x400, 0x40f));
  l.push(...range(0x4b564d00, 0x4b564d08), ...range(0x40000000, 0x40000003));
  l.push(...range(0xc0000080, 0xc0000084), ...range(0xc0000100, 0xc0000104), ...range(0xc0010000, 0xc0010007));
  // MCA: banks 0..2 (CTL/STATUS/ADDR/MISC above, CTL2 here) and the first bank past MCG_CAP.Count
  l.push(0x280, 0x281, 0x282, 0x280 + bankCount, ...range(0x400 + 4 * bankCount, 0x403 + 4 * bankCount));
  return [...new Set(l)].sort((a, b) => a - b);
}

const WRITES = [
  ['zero', () => 0n],
  ['writeBack', (hostValue) => hostValue],
  ['allOnes', () => ALL1],
  ['one', () => 1n],
  ['bit63', () => 1n << 63n],
  ['nonCanonical48', () => 1n << 47n],
];
const HOST_WRITES = [
  ['zero', 0n],
  ['allOnes', ALL1],
];

async function surveyMsr(model, idx, bankCount) {
  const I = hex8(idx);
  const rec = { index: I, name: msrName(idx, bankCount) };
  const base = await session([`vcpu ${model}`, 'exits 0x7', `rdmsr ${I} error`, `rdmsr ${I} error`, `hostrd ${I}`]);
  const [, , r1, r2, h] = base.responses;
  rec.read = rd(r1);
  rec.stable = rec.read === rd(r2);
  if (!rec.stable) rec.read2 = rd(r2);
  rec.host = hostrd(h);
  const fatals = base.fatal ? [base.fatal] : [];
  const hostValue = rec.host.startsWith('ok ') ? BigInt(rec.host.slice(3)) : null;

  // writes[i] = [value, guest WRMSR result, guest read-back, host read-back], in the order of WRITES
  rec.writes = [];
  for (const [, f] of WRITES) {
    const v = f(hostValue);
    if (v === null) {
      rec.writes.push(null);
      continue;
    }
    const V = hex16(v);
    const s = await session([`vcpu ${model}`, 'exits 0x7', `wrmsr ${I} ${V} error`, `rdmsr ${I} error`, `hostrd ${I}`]);
    const [, , w, rb, hrb] = s.responses;
    rec.writes.push([V, wr(w), rd(rb), hostrd(hrb)]);
    if (s.fatal) fatals.push(s.fatal);
  }
  // hostWrites[i] = [value, KVM_SET_MSRS result, host read-back, guest read-back], in the order of HOST_WRITES
  rec.hostWrites = [];
  for (const [, v] of HOST_WRITES) {
    const V = hex16(v);
    const s = await session([`vcpu ${model}`, `hostwr ${I} ${V}`, `hostrd ${I}`, 'exits 0x7', `rdmsr ${I} error`]);
    const [, hw, hrb, , grb] = s.responses;
    rec.hostWrites.push([V, hostwr(hw), hostrd(hrb), rd(grb)]);
    if (s.fatal) fatals.push(s.fatal);
  }
  if (fatals.length) rec.fatal = fatals;
  return rec;
}

/** JSON in the layout Biome's formatter keeps (objects expanded, arrays inline when they fit in 120 columns). */
function toJson(value, indent = '', prefix = '', suffix = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    const simple = value.every(
      (v) => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object')),
    );
    if (
      value.length === 0 ||
      (simple && !value.some(Array.isArray) && indent.length + prefix.length + flat.length + suffix.length <= 120)
    )
      return flat;
    return `[\n${value.map((v, i) => `${inner}${toJson(v, inner, '', i < value.length - 1 ? ',' : '')}`).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) return '{}';
    return `{\n${keys
      .map((k, i) => {
        const p = `${JSON.stringify(k)}: `;
        return `${inner}${p}${toJson(value[k], inner, p, i < keys.length - 1 ? ',' : '')}`;
      })
      .join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------- checks

const X2APIC = [0x800, 0x802, 0x803, 0x808, 0x80b, 0x80f, 0x830, 0x83f, 0x8ff];

async function checkX2apic(model) {
  const deny = filterBlock('0x1', [['0x3', '0x800', '0x100', bitmap(0x20, 0)]]);
  const accesses = [];
  for (const m of X2APIC) {
    accesses.push(`rdmsr ${hex8(m)} error`);
    accesses.push(`wrmsr ${hex8(m)} 0x0000000000000000 error`);
  }
  const control = ['rdmsr 0x0000001b error', 'rdmsr 0x00000010 error'];
  const out = { model, filter: 'DEFAULT_DENY, [{READ|WRITE, 0x800, 0x100, all 0}]', xapic: [], x2apic: null };
  const s = await session([`vcpu ${model}`, 'exits 0x7', deny, ...accesses, ...control]);
  const resp = s.responses.slice(3);
  out.xapic = accesses.concat(control).map((a, i) => ({ access: a.replace(/ error$/, ''), result: resp[i] }));
  if (s.fatal) out.fatal = s.fatal;
  if (model === 'linux64') {
    // switch the in-kernel LAPIC to x2APIC mode (host write bypasses the filter), then the same accesses
    const s2 = await session([
      `vcpu ${model}`,
      'exits 0x7',
      'hostwr 0x0000001b 0x00000000fee00d00',
      deny,
      ...accesses,
      ...control,
      'wrmsr 0x0000001b 0x00000000fee00900 error',
    ]);
    const r2 = s2.responses.slice(4);
    const results = accesses
      .concat(control, ['wrmsr 0x0000001b 0x00000000fee00900 error'])
      .map((a, i) => ({ access: a.replace(/ error$/, ''), result: r2[i] }));
    out.x2apic = { setup: `hostwr 0x1b 0xfee00d00 -> ${s2.responses[2]}`, results };
    if (s2.fatal) out.x2apic.fatal = s2.fatal;
  }
  const all = [...out.xapic, ...(out.x2apic?.results ?? [])].filter((r) => /^0x000008/.test(r.access.split(' ')[1]));
  out.neverFiltered = all.every((r) => r.result && !r.result.includes('kreason=filter'));
  return out;
}

async function setFilter(block) {
  const s = await session(['vcpu bare', block]);
  return s.fatal ?? s.responses[1];
}

async function checkValidation() {
  const r1 = ['0x1', '0x0', '0x1', '00'];
  const cases = [
    ['V1', 'flags DEFAULT_DENY, all nmsrs 0', filterBlock('0x1', [])],
    ['V2', 'flags DEFAULT_ALLOW, all nmsrs 0', filterBlock('0x0', [])],
    ['V2b', 'filter none (all-zero struct)', 'filter none'],
    ['V3', 'flags 0x2, one valid range', filterBlock('0x2', [r1])],
    ['V3b', 'flags 0x2, no ranges', filterBlock('0x2', [])],
    ['V4', 'range {flags 0, nmsrs 1}', filterBlock('0x0', [['0x0', '0x0', '0x1', '00']])],
    ['V5', 'range {flags 0x4, nmsrs 1}', filterBlock('0x0', [['0x4', '0x0', '0x1', '00']])],
    ['V6', 'range {flags 0xff, nmsrs 0} beside a valid range', filterBlock('0x0', [['0xff', '0x0', '0x0', '-'], r1])],
    ['V6b', 'only a range {flags 0xff, nmsrs 0}, DEFAULT_ALLOW', filterBlock('0x0', [['0xff', '0x0', '0x0', '-']])],
    ['V6c', 'only a range {flags 0xff, nmsrs 0}, DEFAULT_DENY', filterBlock('0x1', [['0xff', '0x0', '0x0', '-']])],
    [
      'V6d',
      'range {READ, nmsrs 0, bitmap faulting} beside a valid range',
      filterBlock('0x0', [['0x1', '0x0', '0x0', 'fault'], r1]),
    ],
    ['V7', 'range {READ, nmsrs 0x3000}', filterBlock('0x0', [['0x1', '0x0', '0x3000', '-']])],
    ['V8', 'range {READ, nmsrs 0x3001}', filterBlock('0x0', [['0x1', '0x0', '0x3001', '-']])],
    ['V8b', 'range {READ, nmsrs 0xffffffff}', filterBlock('0x0', [['0x1', '0x0', '0xffffffff', '-']])],
    ['V9', 'range {READ, nmsrs 1, bitmap 0x8}', filterBlock('0x0', [['0x1', '0x0', '0x1', 'fault']])],
    ['V9b', 'range {READ, nmsrs 1, bitmap NULL}', filterBlock('0x0', [['0x1', '0x0', '0x1', 'null']])],
    [
      'V9c',
      'range {flags 0x4, nmsrs 1, bitmap 0x8} (precedence)',
      filterBlock('0x0', [['0x4', '0x0', '0x1', 'fault']]),
    ],
    [
      'V9d',
      'range {READ, nmsrs 0x3001, bitmap 0x8} (precedence)',
      filterBlock('0x0', [['0x1', '0x0', '0x3001', 'fault']]),
    ],
    ['V10', 'ranges[0] valid, ranges[1] flags 0x4', filterBlock('0x0', [r1, ['0x4', '0x10', '0x1', '00']])],
    [
      'V11',
      '16 valid ranges (the most the struct holds)',
      filterBlock(
        '0x0',
        Array.from({ length: 16 }, (_, k) => ['0x1', hex8(k * 8), '0x8', 'ff']),
      ),
    ],
    [
      'V12',
      'two overlapping ranges with the same flags',
      filterBlock('0x0', [
        ['0x3', '0x10', '0x1', '01'],
        ['0x3', '0x10', '0x1', '00'],
      ]),
    ],
    ['W1', 'base 0xffffff00, nmsrs 0x3000 (wraps)', filterBlock('0x0', [['0x1', '0xffffff00', '0x3000', '-']])],
    ['W2', 'x2APIC range {R|W, 0x800, 0x100}', filterBlock('0x0', [['0x3', '0x800', '0x100', '-']])],
  ];
  const out = await Promise.all(
    cases.map(async ([id, what, block]) => ({ id, input: what, errno: await setFilter(block) })),
  );

  // T4.1: the cap mask, one bit at a time (helper: `exits` = KVM_ENABLE_CAP)
  const cmds = ['vcpu bare'];
  for (let i = 0; i < 64; i++) cmds.push(`exits ${hex16(1n << BigInt(i))}`);
  const s = await session(cmds);
  const t41 = s.responses.slice(1, 65).map((r, i) => [i, r]);
  const t41ok = t41.filter(([, r]) => r === 'errno 0').map(([i]) => i);
  const t41other = [...new Set(t41.filter(([, r]) => r !== 'errno 0').map(([, r]) => r))];
  // T4.2 / T4.3
  const bits = Array.from({ length: 32 }, (_, i) => i);
  const t42 = await Promise.all(bits.map(async (i) => [i, await setFilter(filterBlock(hex8(2 ** i), [r1]))]));
  const t43 = await Promise.all(
    bits.map(async (i) => [i, await setFilter(filterBlock('0x0', [[hex8(2 ** i), '0x0', '0x1', '00']]))]),
  );
  const summarize = (t) => ({
    ok: t.filter(([, r]) => r === 'errno 0').map(([i]) => i),
    others: [...new Set(t.filter(([, r]) => r !== 'errno 0').map(([, r]) => r))],
  });
  return {
    table: out,
    t4: {
      't4.1 exits 1<<i (i=0..63)': { ok: t41ok, others: t41other },
      't4.2 filter flags 1<<i (i=0..31), one READ range': summarize(t42),
      't4.3 range flags 1<<i (i=0..31)': summarize(t43),
    },
  };
}

async function checkBareDefaultDeny() {
  const block = filterBlock('0x1', [['0x1', '0x0', '0x100', bitmap(0x20, 0, { set: [0x10] })]]);
  const acc = [
    'rdmsr 0x00000010 error',
    'rdmsr 0x00000011 error',
    'rdmsr 0x12345678 error',
    'wrmsr 0x00000010 0x0000000000000000 error',
  ];
  const res = {};
  for (const [label, mask] of [
    ['user mask 0x7', '0x7'],
    ['user mask 0x0', '0x0'],
  ]) {
    const s = await session(['vcpu bare', `exits ${mask}`, block, ...acc]);
    res[label] = {
      setFilter: s.responses[2],
      results: acc.map((a, i) => ({ access: a.replace(/ error$/, ''), result: s.responses[3 + i] })),
    };
    if (s.fatal) res[label].fatal = s.fatal;
  }
  return { filter: 'DEFAULT_DENY, [{READ, base 0x0, nmsrs 0x100, only bit 0x10 set}]', ...res };
}

async function checkFailedSetKeepsOld() {
  const old = filterBlock('0x0', [['0x1', '0x1fc', '0x1', '00']]);
  const bad = filterBlock('0x1', [
    ['0x3', '0x10', '0x1', '00'],
    ['0x4', '0x20', '0x1', '00'],
  ]);
  const acc = ['rdmsr 0x000001fc error', 'rdmsr 0x00000010 error', 'rdmsr 0x0000001b error'];
  const s = await session(['vcpu bare', 'exits 0x7', old, ...acc, bad, ...acc]);
  return {
    old: 'DEFAULT_ALLOW, [{READ, 0x1fc, 1, deny}]',
    failing: 'DEFAULT_DENY, [{READ|WRITE, 0x10, 1, deny}, {flags 0x4, 0x20, 1}]',
    before: acc.map((a, i) => ({ access: a.replace(/ error$/, ''), result: s.responses[3 + i] })),
    setFailing: s.responses[6],
    after: acc.map((a, i) => ({ access: a.replace(/ error$/, ''), result: s.responses[7 + i] })),
    fatal: s.fatal ?? undefined,
  };
}

async function checkExitsMask() {
  const deny = filterBlock('0x0', [['0x1', '0x1fc', '0x1', '00']]);
  const acc = ['rdmsr 0x000001fc data:0x0000000000000042', 'rdmsr 0x12345678 data:0x0000000000000042'];
  // through the helper's normal `exits` (internal mask stays 0x7)
  const s = await session(['vcpu bare', 'exits 0x4', deny, 'exits 0x8', ...acc]);
  // raw: KVM's own mask, no re-enabling (measures the kernel, not the helper)
  const r = await session(['vcpu bare', 'rawexits 0x4', deny, 'rawexits 0x8', ...acc, 'rawexits 0x0', acc[0]]);
  return {
    viaExits: {
      'exits 0x4': s.responses[1],
      'exits 0x8': s.responses[3],
      after: acc.map((a, i) => ({ access: a, result: s.responses[4 + i] })),
    },
    raw: {
      'rawexits 0x4': r.responses[1],
      'rawexits 0x8': r.responses[3],
      after: acc.map((a, i) => ({ access: a, result: r.responses[4 + i] })),
      'rawexits 0x0': r.responses[6],
      afterZero: { access: acc[0], result: r.responses[7] },
    },
  };
}

async function checkEvaluation() {
  // spec section 5, T6 E2..E10 (mask 0x7; a filtered access reports kreason=filter)
  const all1 = bitmap(0x600, 0xff);
  const all0 = bitmap(0x600, 0);
  const cases = [
    ['E2', filterBlock('0x1', [['0x3', '0x0', '0x3000', all1]]), 'rdmsr 0xc0000080 error'],
    ['E3', filterBlock('0x1', [['0x3', '0x0', '0x3000', all0]]), 'rdmsr 0x0000080b error'],
    [
      'E4',
      filterBlock('0x0', [
        ['0x3', '0x10', '0x1', '01'],
        ['0x3', '0x10', '0x1', '00'],
      ]),
      'wrmsr 0x00000010 0x0000000000000000 error',
    ],
    ['E5', filterBlock('0x0', [['0x1', '0x10', '0x1', '00']]), 'wrmsr 0x00000010 0x0000000000000000 error'],
    ['E6', filterBlock('0x1', [['0x1', '0x10', '0x1', '01']]), 'wrmsr 0x00000010 0x0000000000000000 error'],
    [
      'E7',
      filterBlock('0x0', [
        ['0x2', '0x10', '0x1', '01'],
        ['0x3', '0x10', '0x1', '00'],
      ]),
      'rdmsr 0x00000010 error',
    ],
    ['E8', filterBlock('0x0', [['0x3', '0xffffffff', '0x1', '00']]), 'rdmsr 0xffffffff error'],
    ['E9', filterBlock('0x0', [['0x3', '0x0', '0xa', '0000']]), 'rdmsr 0x0000000a error'],
    ['E9b', filterBlock('0x0', [['0x3', '0x0', '0xa', '0000']]), 'rdmsr 0x00000009 error'],
    ['E10', filterBlock('0x0', [['0x1', '0x800', '0x100', '-']]), 'rdmsr 0x00000802 error'],
    ['B1', filterBlock('0x0', [['0x1', '0x10', '0x1', 'fe']]), 'rdmsr 0x00000010 error'],
  ];
  const runs = MODELS.flatMap((model) => cases.map((c) => [model, ...c]));
  return Promise.all(
    runs.map(async ([model, id, block, acc]) => {
      const s = await session([`vcpu ${model}`, 'exits 0x7', block, acc]);
      return {
        id,
        model,
        access: acc.replace(/ error$/, ''),
        setFilter: s.responses[2],
        result: s.fatal ?? s.responses[3],
      };
    }),
  );
}

// ---------------------------------------------------------------- summary

function readCell(r) {
  if (r.startsWith('ok ')) return `ok \`${r.slice(3)}\``;
  return r.replace(/^gp /, '#GP ');
}

function writeCell(w) {
  if (!w) return 'n/a';
  const [value, result, readBack] = w;
  if (result !== 'ok') return result.replace(/^gp /, '#GP ');
  const rb = readBack.startsWith('ok ') ? BigInt(readBack.slice(3)) : null;
  if (rb === BigInt(value)) return 'ok';
  return `ok, reads ${rb === null ? readBack.replace(/^gp /, '#GP ') : `\`${hex16(rb)}\``}`;
}

function hostWriteCell(w) {
  const [value, result, hostReadBack] = w;
  if (result !== 'ok') return 'error';
  const rb = hostReadBack.startsWith('ok ') ? BigInt(hostReadBack.slice(3)) : null;
  if (rb === BigInt(value)) return 'ok';
  return `ok, reads ${rb === null ? hostReadBack : `\`${hex16(rb)}\``}`;
}

function modelTable(model, recs) {
  const lines = [
    `### ${model}`,
    '',
    'Guest read: `ok VALUE` (⚡ = a second read differed) or `#GP <kreason>`. Writes: `ok` = accepted and reads back',
    'the same; `ok, reads X` = accepted but a guest read-back gives X; `#GP <kreason>` = refused. Each write on a fresh VM.',
    '',
    '| MSR | name | guest read | host read | w 0 | w host value | w ~0 | w 1 | w 1<<63 | w 1<<47 | host w 0 | host w ~0 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of recs) {
    const w = Object.fromEntries(WRITES.map(([label], i) => [label, r.writes[i]]));
    const h = Object.fromEntries(HOST_WRITES.map(([label], i) => [label, r.hostWrites[i]]));
    lines.push(
      `| ${r.index} | ${r.name} | ${readCell(r.read)}${r.stable ? '' : ' ⚡'} | ${r.host === 'error' ? 'error' : `\`${r.host.slice(3)}\``} | ` +
        `${writeCell(w.zero)} | ${writeCell(w.writeBack)} | ${writeCell(w.allOnes)} | ${writeCell(w.one)} | ` +
        `${writeCell(w.bit63)} | ${writeCell(w.nonCanonical48)} | ${hostWriteCell(h.zero)} | ${hostWriteCell(h.allOnes)} |`,
    );
  }
  return lines.join('\n');
}

function groups(model, recs) {
  const by = (pred) => recs.filter(pred);
  const fmt = (rs, withValue) =>
    rs
      .map((r) =>
        withValue
          ? `${r.index} ${r.name} = \`${r.read.slice(3)}\`${r.stable ? '' : ' (changes)'}`
          : `${r.index} ${r.name}`,
      )
      .join('; ');
  const ok = by((r) => r.read.startsWith('ok'));
  const zero = ok.filter((r) => r.stable && BigInt(r.read.slice(3)) === 0n);
  const other = ok.filter((r) => !zero.includes(r));
  const lines = [
    `**${model}** — reads ok (${ok.length}). Non-zero or changing: ${fmt(other, true)}. Zero: ${fmt(zero, false)}.`,
    '',
  ];
  for (const k of ['unknown', 'inval', 'none']) {
    const g = by((r) => r.read === `gp ${k}`);
    if (g.length) lines.push(`**${model}** — reads #GP with kreason ${k} (${g.length}): ${fmt(g, false)}.`, '');
  }
  const hostDiff = recs.filter((r) => (r.host === 'error') !== r.read.startsWith('gp'));
  if (hostDiff.length)
    lines.push(
      `**${model}** — host read and guest read disagree (${hostDiff.length}): ${hostDiff.map((r) => `${r.index} ${r.name} (guest ${r.read.startsWith('ok') ? 'ok' : r.read}, host ${r.host === 'error' ? 'error' : 'ok'})`).join('; ')}.`,
      '',
    );
  return lines.join('\n');
}

function checksMd(c) {
  const L = [];
  if (c.x2apic) {
    L.push('### (a) x2APIC MSRs under a deny-all filter', '');
    for (const x of c.x2apic) {
      L.push(`**${x.model}** (${x.filter}) — never filtered: **${x.neverFiltered}**`, '', '```');
      for (const r of x.xapic) L.push(`${r.access.padEnd(44)} -> ${r.result}`);
      L.push('```');
      if (x.x2apic) {
        L.push('', `after ${x.x2apic.setup} (x2APIC mode), same filter:`, '', '```');
        for (const r of x.x2apic.results) L.push(`${r.access.padEnd(44)} -> ${r.result}`);
        L.push('```');
      }
      L.push('');
    }
  }
  if (c.validation) {
    L.push('### (b) Validation (KVM_X86_SET_MSR_FILTER errno) and T4', '', '| id | input | errno |', '|---|---|---|');
    for (const v of c.validation.table) L.push(`| ${v.id} | ${v.input} | ${v.errno} |`);
    L.push('');
    for (const [k, v] of Object.entries(c.validation.t4))
      L.push(`- ${k}: success for bits [${v.ok.join(', ')}]; all others: ${v.others.join(', ') || '-'}`);
    L.push('');
  }
  if (c.bareDefaultDeny) {
    const b = c.bareDefaultDeny;
    L.push(`### (c) bare, ${b.filter}`, '');
    for (const k of ['user mask 0x7', 'user mask 0x0']) {
      L.push(`${k} (set-filter: ${b[k].setFilter}):`, '', '```');
      for (const r of b[k].results) L.push(`${r.access.padEnd(44)} -> ${r.result}`);
      L.push('```', '');
    }
  }
  if (c.failedSet) {
    const f = c.failedSet;
    L.push(
      '### (d) A failing set-filter keeps the old filter?',
      '',
      `old filter: ${f.old}; failing call: ${f.failing} -> \`${f.setFailing}\``,
      '',
      '```',
    );
    for (const r of f.before) L.push(`before: ${r.access.padEnd(36)} -> ${r.result}`);
    for (const r of f.after) L.push(`after:  ${r.access.padEnd(36)} -> ${r.result}`);
    L.push('```', '');
  }
  if (c.exitsMask) {
    const e = c.exitsMask;
    L.push('### (e) `exits 0x8`', '', '```');
    L.push(
      `exits 0x4 -> ${e.viaExits['exits 0x4']}; filter denies RDMSR 0x1fc; exits 0x8 -> ${e.viaExits['exits 0x8']}`,
    );
    for (const r of e.viaExits.after) L.push(`  ${r.access.padEnd(44)} -> ${r.result}`);
    L.push(
      `rawexits 0x4 -> ${e.raw['rawexits 0x4']}; same filter; rawexits 0x8 -> ${e.raw['rawexits 0x8']}   (KVM's own mask, no helper re-enable)`,
    );
    for (const r of e.raw.after) L.push(`  ${r.access.padEnd(44)} -> ${r.result}`);
    L.push(`rawexits 0x0 -> ${e.raw['rawexits 0x0']}`);
    L.push(`  ${e.raw.afterZero.access.padEnd(44)} -> ${e.raw.afterZero.result}`);
    L.push('```', '');
  }
  if (c.evaluation) {
    L.push(
      '### Evaluation vectors (spec T6 E2–E10, plus B1), mask 0x7',
      '',
      '| id | model | access | set-filter | result |',
      '|---|---|---|---|---|',
    );
    for (const e of c.evaluation) L.push(`| ${e.id} | ${e.model} | ${e.access} | ${e.setFilter} | ${e.result} |`);
    L.push('');
  }
  return L.join('\n');
}

// ---------------------------------------------------------------- main

/** The project lints everything with Biome; format the generated files the way it wants, if it is installed. */
function formatWithBiome(files) {
  const biome = join(here, '..', 'node_modules', '.bin', 'biome');
  const present = files.filter((f) => existsSync(f));
  if (!existsSync(biome) || present.length === 0) return;
  const r = spawnSync(biome, ['format', '--write', '--no-errors-on-unmatched', ...present], {
    cwd: join(here, '..'),
    encoding: 'utf8',
  });
  if (r.status !== 0) process.stderr.write(`survey: biome format failed:\n${r.stderr || r.stdout}\n`);
}

/** The write probe against the strictly-fresh survey rows, where both measured the same write: the differences. */
function crossCheck(model, recs, windows) {
  const out = [];
  const norm = {
    w: (n) => n.replace(/^exit=\w+ /, ''),
    r: (n) =>
      n.startsWith('ok ') ? `ok ${BigInt(`0x${n.slice(3)}`)}` : n.replace(/^exit=\w+ /, '').replace(/ value=-$/, ''),
    h: (n) => (n.startsWith('ok ') ? `ok ${BigInt(`0x${n.slice(3)}`)}` : n),
  };
  const fromSurvey = {
    w: (v) => v,
    r: (v) => (v.startsWith('ok ') ? `ok ${BigInt(v.slice(3))}` : v),
    h: (v) => (v.startsWith('ok ') ? `ok ${BigInt(v.slice(3))}` : v),
  };
  for (const rec of recs) {
    if (!rec.stable) continue;
    const probe = windows[`0x${Number(rec.index).toString(16)}`];
    if (!probe) continue;
    for (const w of rec.writes) {
      if (!w) continue;
      const note = probe.w[`0x${BigInt(w[0]).toString(16)}`];
      if (!note) continue;
      const [pw, rest] = note.split(' > ');
      const [pr, ph] = rest.split(' / ');
      const a = [norm.w(pw), norm.r(pr), norm.h(ph)].join(' | ');
      const b = [fromSurvey.w(w[1]), fromSurvey.r(w[2]), fromSurvey.h(w[3])].join(' | ');
      if (a !== b) out.push(`${model} ${rec.index} guest write ${w[0]}: probe "${a}", survey "${b}"`);
    }
  }
  return out;
}

/** The host model of this machine's /dev/kvm and the profile of its kernel, or null outside tsx. */
async function nativeHostOf() {
  try {
    const { detectNativeHost } = await import('../src/node/native-host.ts');
    const { profileOfRelease } = await import('./kvm-backends.ts');
    const n = detectNativeHost();
    if (!n.id) throw new Error(n.why);
    const module = { pvm: 'kvm_pvm', svm: 'kvm_amd', vmx: 'kvm_intel' }[n.backend];
    return { id: n.id, la57: n.la57, why: n.why, module, profile: profileOfRelease(machine().kernel) };
  } catch (e) {
    process.stderr.write(`survey: no host model for this machine (${e.message})\n`);
    return null;
  }
}

async function main() {
  const t0 = Date.now();
  if (KVM !== undefined && KVM !== 'svm-6.1') {
    console.error(`survey: --kvm=${KVM}: unknown backend (svm-6.1)`);
    process.exit(2);
  }
  if (KVM === 'svm-6.1') {
    try {
      await bootSvm61();
    } catch (e) {
      console.error(`survey: --kvm=svm-6.1: ${e.message}`);
      process.exit(3);
    }
    // every session queued at once is one batch in the guest: let many MSRs progress together
    if (!jobsArg) JOBS = 1000;
    const m = machine();
    process.stderr.write(`survey: svm-6.1 guest up: Linux ${m.kernel} (${m.cpu}) in ${Date.now() - t0} ms\n`);
  } else {
    if (!existsSync(BIN)) {
      console.error(`survey: ${BIN} is missing; run \`node oracle/build.mjs\` first`);
      process.exit(1);
    }
    const probe = await session([]);
    if (probe.fatal) {
      console.error(`survey: the helper cannot run: ${probe.fatal}`);
      process.exit(3);
    }
  }
  mkdirSync(OUT, { recursive: true });
  const only = ['--msrs-only', '--checks-only', '--sweep-only'].find((f) => argv.includes(f));
  const doMsrs = !only || only === '--msrs-only';
  const doChecks = !only || only === '--checks-only';
  const doSweep = !only || only === '--sweep-only';
  const host = machine();
  const data = {};
  const meta = {};

  for (const model of MODELS) {
    const file = join(OUT, `${model}.json`);
    if (!doMsrs) {
      if (existsSync(file)) {
        const j = JSON.parse(readFileSync(file, 'utf8'));
        data[model] = j.msrs;
        meta[model] = j;
      }
      continue;
    }
    const mcg = await session([`vcpu ${model}`, 'hostrd 0x00000179']);
    const mcgCap = BigInt(parse(mcg.responses[1]).value);
    const bankCount = Number(mcgCap & 0xffn);
    const list = msrList(bankCount);
    process.stderr.write(`survey: ${model}: ${list.length} MSRs, MCG_CAP ${hex16(mcgCap)}\n`);
    const recs = await pool(list, (idx) => surveyMsr(model, idx, bankCount));
    const cpuid = await session([`vcpu ${model}`, 'cpuid']);
    data[model] = recs;
    const head = {
      model,
      kernel: host.kernel,
      cpu: host.cpu,
      ...(host.backend === 'svm' ? { backend: `kvm_amd under ${host.qemu}` } : {}),
      mcgCap: hex16(mcgCap),
      cpuidEffective: (cpuid.responses[1] ?? '')
        .replace(/^cpuid ?/, '')
        .split(' ')
        // 6.1 hands back KVM_GET_CPUID2's nent unchanged (256): the unused entries are all zero
        .filter((x) => x && x !== 'none' && x !== '0x0.0x0:0x00000000,0x00000000,0x00000000,0x00000000'),
      method:
        'each row: fresh VM, exits 0x7, VMM replies error=1 to every exit (so an exit shows as "gp <reason>"); ' +
        'guest read twice + host read; each guest write on its own fresh VM followed by a guest and a host read-back; ' +
        'each host write on its own fresh VM followed by a host and a guest read-back',
      writes: WRITES.map(([w]) => w),
      hostWrites: HOST_WRITES.map(([w]) => w),
      fields: {
        read: '`ok VALUE` or `gp KREASON` (KREASON = the exit reason KVM gave, or none)',
        host: '`ok VALUE` or `error` (KVM_GET_MSRS)',
        writes:
          '[value, guest WRMSR result (`ok` | `gp KREASON`), guest read-back, host read-back] per entry of `writes`; null if the host read failed (no write-back value)',
        hostWrites:
          '[value, KVM_SET_MSRS result (`ok` | `error`), host read-back, guest read-back] per entry of `hostWrites`',
      },
    };
    meta[model] = head;
    writeFileSync(file, `${toJson({ ...head, msrs: recs })}\n`);
    process.stderr.write(`survey: ${model}: survey done at ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }

  let checks = {};
  const checksFile = join(OUT, 'checks.json');
  if (existsSync(checksFile)) checks = JSON.parse(readFileSync(checksFile, 'utf8'));
  if (doChecks) {
    process.stderr.write('survey: checks\n');
    checks = {
      ...checks,
      x2apic: [await checkX2apic('bare'), await checkX2apic('linux64')],
      validation: await checkValidation(),
      bareDefaultDeny: await checkBareDefaultDeny(),
      failedSet: await checkFailedSetKeepsOld(),
      exitsMask: await checkExitsMask(),
      evaluation: await checkEvaluation(),
    };
    writeFileSync(checksFile, `${toJson(checks)}\n`);
  }

  const crossed = [];
  if (doSweep) {
    const passthrough = [];
    for (const model of MODELS) {
      const reads = await sweepReads(model);
      const writeOnly = (await sweepWrites(model)).filter((i) => !reads[`0x${i.toString(16)}`]);
      const known = [...Object.keys(reads).map(Number), ...writeOnly].sort((x, y) => x - y);
      process.stderr.write(
        `survey: ${model}: read sweep: ${Object.keys(reads).length} known, ${writeOnly.length} write-only; probing (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
      writeFileSync(join(OUT, `reads-${model}.json`), `${JSON.stringify(reads)}\n`);
      const windows = await probeWindows(model, known);
      writeFileSync(join(OUT, `windows-${model}.json`), `${JSON.stringify(windows, null, 1)}\n`);
      passthrough.push(await checkPassthrough(model, known));
      if (data[model]) crossed.push(...crossCheck(model, data[model], windows));
      process.stderr.write(`survey: ${model}: write probe done at ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    checks = { ...checks, passthrough };
    writeFileSync(checksFile, `${toJson(checks)}\n`);
    for (const c of crossed) process.stderr.write(`survey: cross-check: ${c}\n`);
  }

  const files = [
    'bare.json',
    'linux64.json',
    'reads-bare.json',
    'reads-linux64.json',
    'windows-bare.json',
    'windows-linux64.json',
    'checks.json',
  ];
  const probe = {
    values: PROBE_VALUES.map((v) => `0x${v.toString(16)}`),
    windows: SWEPT_WINDOWS.map(([lo, hi]) => [hex8(lo), hex8(hi)]),
    crossCheck: `${crossed.length} differences between the write probe and the fresh-VM survey`,
  };
  const today = new Date().toISOString().slice(0, 10);
  let header = null;
  if (host.backend === 'svm') {
    header = {
      hostModel: 'svm',
      profile: 'linux-5.19',
      backend: 'svm',
      module: 'kvm_amd',
      kernel: /Debian (\d+\.\d+\.\d+)/.exec(host.kernelBuild)?.[1] ?? host.kernel,
      release: host.kernel,
      package: host.package,
      cpu: host.cpu,
      under: host.qemu,
      kvmAmdParams: host.kvmAmdParams,
      la57: false,
      measured: `${today}, npx tsx oracle/survey.mjs --kvm=svm-6.1`,
      probe,
      files,
    };
  } else {
    // this machine's /dev/kvm: the host model that matches it (src/node/native-host.ts, TypeScript: needs tsx)
    const native = await nativeHostOf();
    if (native) {
      header = {
        hostModel: native.id,
        profile: native.profile,
        backend: native.module,
        cpu: host.cpu,
        kernel: host.kernel,
        la57: native.la57,
        detected: native.why,
        measured: `${today}, npx tsx oracle/survey.mjs`,
        probe,
        files,
      };
    } else process.stderr.write('survey: host.json not written (run through tsx: npm run survey)\n');
  }
  if (header) {
    const hostFile = join(OUT, 'host.json');
    const old = existsSync(hostFile) ? JSON.parse(readFileSync(hostFile, 'utf8')) : {};
    writeFileSync(
      hostFile,
      // `notCompared` is hand-written analysis (what the simulator cannot show, and why): kept from the old file
      `${toJson({ ...header, ...(doMsrs && doSweep ? {} : { measured: old.measured ?? header.measured }), ...(old.notCompared ? { notCompared: old.notCompared } : {}) })}\n`,
    );
  }

  // SUMMARY.md: generated, keeping the manual section of the existing file
  const sumFile = join(OUT, 'SUMMARY.md');
  const START = '<!-- manual:start -->';
  const END = '<!-- manual:end -->';
  let manual = `${START}\n(hand-written analysis goes here)\n${END}`;
  if (existsSync(sumFile)) {
    const old = readFileSync(sumFile, 'utf8');
    const a = old.indexOf(START);
    const b = old.indexOf(END);
    if (a >= 0 && b > a) manual = old.slice(a, b + END.length);
  }
  const m0 = meta.bare ?? meta.linux64 ?? {};
  const where =
    host.backend === 'svm'
      ? `\`npx tsx oracle/survey.mjs --kvm=svm-6.1\` through the helper in the QEMU guest: kvm_amd on Linux ${m0.kernel ?? host.kernel} (${m0.cpu ?? host.cpu}, ${host.qemu}).`
      : `\`node oracle/survey.mjs\` through \`oracle/build/kvm-oracle\` on Linux ${m0.kernel ?? '?'} (${m0.cpu ?? '?'}, nested KVM).`;
  const md = [
    '# Real-kernel MSR survey',
    '',
    `Measured by ${where}`,
    'vCPU models as in oracle/README.md. Raw data: bare.json, linux64.json, checks.json. The sections after the',
    'hand-written analysis are regenerated on every run.',
    '',
    manual,
    '',
    '## Reads by outcome',
    '',
    ...MODELS.filter((m) => data[m]).map((m) => groups(m, data[m])),
    '## Checks',
    '',
    checksMd(checks),
    '## Per-MSR tables',
    '',
    'In [TABLES.md](TABLES.md) (generated).',
    '',
  ].join('\n');
  writeFileSync(sumFile, alignTables(md));
  const tablesFile = join(OUT, 'TABLES.md');
  const tables = [
    '# Real-kernel MSR survey: per-MSR tables',
    '',
    `Generated by \`oracle/survey.mjs\` on Linux ${m0.kernel ?? '?'}; see SUMMARY.md for the analysis.`,
    '',
    ...MODELS.filter((m) => data[m]).map((m) => `${modelTable(m, data[m])}\n`),
  ].join('\n');
  writeFileSync(tablesFile, alignTables(tables));
  formatWithBiome([sumFile, tablesFile, ...MODELS.map((m) => join(OUT, `${m}.json`)), checksFile]);
  const stats = await closeBackend();
  const batches = stats ? ` (${stats.sessions} fresh VMs in ${stats.runs} helper runs in the guest)` : '';
  process.stderr.write(`survey: ${backendName()}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s${batches}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
