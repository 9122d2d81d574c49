/**
 * Share-link binary format, version 1 (`#v1.`). FROZEN: links made with it must decode forever, so never change
 * what these bytes mean; a new layout is a new version with its own module, and this decoder stays.
 *
 * The body is a sequence of unsigned LEB128 varints (minimal length), strings (varint byte length + UTF-8) and raw
 * bytes. The whole body is followed by the low 16 bits of its CRC-32 (little endian), then raw-deflated.
 *
 *   doc flags         name 1, exits 2, ignoreMsrs 4, filter 8, expectations 16, vmm replies 32
 *                     (v3 only: host model 64)
 *   profile           index into V1_PROFILES (append-only)
 *   vcpu              index into V1_VCPUS (append-only)
 *   [host]            v3 only: index into V3_HOSTS (append-only)
 *   [exits]           u64 KVM_CAP_X86_USER_SPACE_MSR mask
 *   [vmm]             reply read, reply write        reply: 0 = error, 1 = data then u64
 *   [name]            string
 *   [filter]          policy header
 *   steps             count, then each step (below)
 *   [expectations]    count, then one byte each: 0 none, 1 allow, 2 eperm, 3 gp
 *   bitmaps           the stored bytes of every range of every policy, in document order, back to back (so that
 *                     DEFLATE sees them together)
 *   crc16             CRC-32(body) & 0xffff, little endian
 *
 * policy header: flags * 2 + hasName, [name], range count, then per range:
 *   flags * 4 + fillOnes * 2 + hasComment, base, nmsrs, stored byte count, [comment]
 *   The range's bitmap is its stored bytes; with fillOnes, the bits from there up to nmsrs are 1 (so an all-ones
 *   bitmap stores nothing). Decoded bitmaps are trimmed of trailing zero bytes.
 * step: tag = op (0 rdmsr, 1 wrmsr, 2 set-filter, 3 set-exits) + flags in bits 2-4:
 *   rdmsr/wrmsr: host 4, hasReply 8, replyIsError 16; then index, [wrmsr: value u64], [data reply: u64]
 *   set-filter: hasFilter 4; then [policy header]
 *   set-exits: then the u64 mask
 */
import type { HostModelId } from '../host/host-models';
import type { FilterPolicy, FilterRange } from '../policy/types';
import type { ProfileId } from '../profiles/types';
import type { Scenario, Step, VmmReply } from '../scenario/types';
import type { VcpuModelId } from '../vcpu/models';
import { BinaryFormatError, ByteReader, ByteWriter, crc32 } from './bytes';
import { type Expectation, meaningfulBitmap, type ShareDocument } from './document';
import { SHARE_LINK_LIMITS } from './limits';

/** Append-only: the index is what links store. */
export const V1_PROFILES: readonly ProfileId[] = [
  'allowlist-v4',
  'linux-5.10',
  'linux-5.12',
  // links made before the profile was renamed (it was linux-6.0) keep this index
  'linux-5.19',
  'linux-6.12',
  'linux-6.4',
  'linux-5.13',
];
/** Append-only: the index is what links store. */
export const V1_VCPUS: readonly VcpuModelId[] = ['bare', 'linux64'];
/** Append-only: the index is what v3 links store. */
export const V3_HOSTS: readonly HostModelId[] = ['pvm-amd', 'pvm-intel', 'svm', 'vmx', 'pvm-amd-la57', 'pvm-intel-48'];
const V1_EXPECTATIONS: readonly Expectation[] = [null, 'allow', 'eperm', 'gp'];

const DOC_NAME = 1;
const DOC_EXITS = 2;
const DOC_IGNORE_MSRS = 4;
const DOC_FILTER = 8;
const DOC_EXPECTATIONS = 16;
const DOC_VMM = 32;
const DOC_KNOWN = 63;
const DOC_HOST = 64;

/**
 * What a version adds to the v1 layout. v1 and v2 have nothing (their bytes never change); v3 adds the host model
 * (doc flag 64 and its index after the vCPU model).
 */
export interface LayoutExtensions {
  hostModel: boolean;
}
const V1_LAYOUT: LayoutExtensions = { hostModel: false };

const OP_RDMSR = 0;
const OP_WRMSR = 1;
const OP_SET_FILTER = 2;
const OP_SET_EXITS = 3;
const STEP_HOST = 4;
const STEP_REPLY = 8;
const STEP_REPLY_ERROR = 16;
const STEP_HAS_FILTER = 4;

const U32_MAX = 0xffff_ffff;
const U64_MAX = (1n << 64n) - 1n;

/** An encoding problem: the document holds something no link can hold. `place` names it. */
export class UnencodableError extends Error {
  constructor(
    readonly place: string,
    readonly reason: string,
    readonly tooLarge = false,
  ) {
    super(`${place}: ${reason}`);
    this.name = 'UnencodableError';
  }
}

function checkU32(v: number, place: string): number {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw new UnencodableError(place, `${String(v)} is not a 32-bit unsigned value`);
  }
  return v;
}

function checkU64(v: bigint, place: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
    throw new UnencodableError(place, `${String(v)} is not a 64-bit unsigned value`);
  }
  return v;
}

/** The ones bitmap of nmsrs bits: ceil(nmsrs / 8) bytes, bits at or past nmsrs clear. */
function onesBitmap(nmsrs: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(nmsrs / 8)).fill(0xff);
  if (nmsrs % 8) out[out.length - 1] = (1 << (nmsrs % 8)) - 1;
  return out;
}

interface StoredBitmap {
  bytes: Uint8Array;
  fillOnes: boolean;
}

/** Picks the shorter of "the bytes, zeros after" and "a prefix, ones after". */
function storeBitmap(r: FilterRange, place: string): StoredBitmap {
  const plain = meaningfulBitmap(r);
  const full = Math.ceil(r.nmsrs / 8);
  if (plain.length > 0 && full <= SHARE_LINK_LIMITS.maxBitmapBytes) {
    const ones = onesBitmap(r.nmsrs);
    let k = full;
    while (k > 0 && (k - 1 < plain.length ? plain[k - 1] : 0) === ones[k - 1]) k--;
    if (k < plain.length) return { bytes: plain.slice(0, k), fillOnes: true };
  }
  if (plain.length > SHARE_LINK_LIMITS.maxBitmapBytes) {
    throw new UnencodableError(
      `${place}.bitmap`,
      `${plain.length} bitmap bytes; a link holds at most ${SHARE_LINK_LIMITS.maxBitmapBytes} per range`,
      true,
    );
  }
  return { bytes: plain, fillOnes: false };
}

class Encoder {
  readonly w = new ByteWriter();
  readonly bitmaps: Uint8Array[] = [];
  private bitmapBytes = 0;

  reply(r: VmmReply, place: string): void {
    if (r.error) this.w.uint(0);
    else {
      this.w.uint(1);
      this.w.big(checkU64(r.data, `${place}.data`));
    }
  }

  policy(p: FilterPolicy, place: string): void {
    const flags = checkU32(p.flags, `${place}.flags`);
    this.w.uint(flags * 2 + (p.name !== undefined ? 1 : 0));
    if (p.name !== undefined) this.w.string(p.name);
    if (p.ranges.length > SHARE_LINK_LIMITS.maxRanges) {
      throw new UnencodableError(
        `${place}.ranges`,
        `${p.ranges.length} ranges; a link holds at most ${SHARE_LINK_LIMITS.maxRanges}`,
        true,
      );
    }
    this.w.uint(p.ranges.length);
    p.ranges.forEach((r, i) => {
      const at = `${place}.ranges[${i}]`;
      const rflags = checkU32(r.flags, `${at}.flags`);
      const base = checkU32(r.base, `${at}.base`);
      const nmsrs = checkU32(r.nmsrs, `${at}.nmsrs`);
      const stored = storeBitmap(r, at);
      this.bitmapBytes += stored.fillOnes ? Math.ceil(nmsrs / 8) : stored.bytes.length;
      if (this.bitmapBytes > SHARE_LINK_LIMITS.maxTotalBitmapBytes) {
        throw new UnencodableError(
          at,
          `the document's bitmaps add up to more than ${SHARE_LINK_LIMITS.maxTotalBitmapBytes} bytes`,
          true,
        );
      }
      this.w.uint(rflags * 4 + (stored.fillOnes ? 2 : 0) + (r.comment !== undefined ? 1 : 0));
      this.w.uint(base);
      this.w.uint(nmsrs);
      this.w.uint(stored.bytes.length);
      if (r.comment !== undefined) this.w.string(r.comment);
      this.bitmaps.push(stored.bytes);
    });
  }

  step(s: Step, place: string): void {
    switch (s.op) {
      case 'rdmsr':
      case 'wrmsr': {
        let tag = s.op === 'rdmsr' ? OP_RDMSR : OP_WRMSR;
        if (s.host) tag |= STEP_HOST;
        if (s.reply) tag |= STEP_REPLY | (s.reply.error ? STEP_REPLY_ERROR : 0);
        this.w.uint(tag);
        this.w.uint(checkU32(s.index, `${place}.index`));
        if (s.op === 'wrmsr') this.w.big(checkU64(s.value, `${place}.value`));
        if (s.reply && !s.reply.error) this.w.big(checkU64(s.reply.data, `${place}.reply.data`));
        return;
      }
      case 'set-filter':
        this.w.uint(OP_SET_FILTER | (s.filter ? STEP_HAS_FILTER : 0));
        if (s.filter) this.policy(s.filter, `${place}.filter`);
        return;
      case 'set-exits':
        this.w.uint(OP_SET_EXITS);
        this.w.big(checkU64(s.exits, `${place}.exits`));
        return;
      default:
        throw new UnencodableError(place, `unknown op ${JSON.stringify((s as { op: unknown }).op)}`);
    }
  }
}

function isDefaultVmm(s: Scenario): boolean {
  return s.vmm.read.error && s.vmm.write.error;
}

/** The v1 body of a document, with its checksum; not yet compressed. Throws UnencodableError. */
export function encodeV1(doc: ShareDocument, layout: LayoutExtensions = V1_LAYOUT): Uint8Array {
  const s = doc.scenario;
  const e = new Encoder();
  const profile = V1_PROFILES.indexOf(s.profile);
  if (profile < 0) throw new UnencodableError('profile', `unknown profile ${JSON.stringify(s.profile)}`);
  const vcpu = V1_VCPUS.indexOf(s.vcpu);
  if (vcpu < 0) throw new UnencodableError('vcpu', `unknown vCPU model ${JSON.stringify(s.vcpu)}`);
  let flags = 0;
  if (s.name !== undefined) flags |= DOC_NAME;
  if (s.exits !== null) flags |= DOC_EXITS;
  if (s.ignoreMsrs) flags |= DOC_IGNORE_MSRS;
  if (s.filter) flags |= DOC_FILTER;
  if (doc.expectations !== undefined) flags |= DOC_EXPECTATIONS;
  if (!isDefaultVmm(s)) flags |= DOC_VMM;
  let host = -1;
  if (s.hostModel !== undefined) {
    if (!layout.hostModel) throw new UnencodableError('hostModel', 'this link version has no host model');
    host = V3_HOSTS.indexOf(s.hostModel);
    if (host < 0) throw new UnencodableError('hostModel', `unknown host model ${JSON.stringify(s.hostModel)}`);
    flags |= DOC_HOST;
  }
  e.w.uint(flags);
  e.w.uint(profile);
  e.w.uint(vcpu);
  if (host >= 0) e.w.uint(host);
  if (s.exits !== null) e.w.big(checkU64(s.exits, 'exits'));
  if (flags & DOC_VMM) {
    e.reply(s.vmm.read, 'vmm.read');
    e.reply(s.vmm.write, 'vmm.write');
  }
  if (s.name !== undefined) e.w.string(s.name);
  if (s.filter) e.policy(s.filter, 'filter');
  if (s.steps.length > SHARE_LINK_LIMITS.maxSteps) {
    throw new UnencodableError(
      'steps',
      `${s.steps.length} steps; a link holds at most ${SHARE_LINK_LIMITS.maxSteps}`,
      true,
    );
  }
  e.w.uint(s.steps.length);
  s.steps.forEach((step, i) => {
    e.step(step, `steps[${i}]`);
  });
  if (doc.expectations !== undefined) {
    const list = doc.expectations;
    if (list.length > SHARE_LINK_LIMITS.maxExpectations) {
      throw new UnencodableError(
        'expectations',
        `${list.length} expectations; a link holds at most ${SHARE_LINK_LIMITS.maxExpectations}`,
        true,
      );
    }
    e.w.uint(list.length);
    list.forEach((x, i) => {
      const code = V1_EXPECTATIONS.indexOf(x);
      if (code < 0) throw new UnencodableError(`expectations[${i}]`, `unknown verdict ${JSON.stringify(x)}`);
      e.w.byte(code);
    });
  }
  for (const b of e.bitmaps) e.w.raw(b);
  const body = e.w.bytes();
  const crc = crc32(body);
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  out[body.length] = crc & 0xff;
  out[body.length + 1] = (crc >>> 8) & 0xff;
  return out;
}

interface PendingBitmap {
  range: FilterRange;
  stored: number;
  fillOnes: boolean;
}

class Decoder {
  readonly pending: PendingBitmap[] = [];
  private bitmapBytes = 0;
  constructor(readonly r: ByteReader) {}

  count(what: string, max: number, minBytesEach: number): number {
    const n = this.r.uint(what, Number.MAX_SAFE_INTEGER);
    if (n > max) throw new BinaryFormatError('limit', `it holds ${n} ${what}; at most ${max} are read`);
    if (n * minBytesEach > this.r.remaining) throw new BinaryFormatError('eof', `ends inside its ${what}`);
    return n;
  }

  reply(what: string): VmmReply {
    const tag = this.r.uint(what, 1);
    return tag === 0 ? { error: true } : { error: false, data: this.r.big(`${what} data`) };
  }

  policy(what: string): FilterPolicy {
    const head = this.r.uint(`${what} flags`, U32_MAX * 2 + 1);
    const flags = Math.floor(head / 2);
    const name = head % 2 ? this.r.string(`${what} name`) : undefined;
    const n = this.count('ranges', SHARE_LINK_LIMITS.maxRanges, 4);
    const ranges: FilterRange[] = [];
    for (let i = 0; i < n; i++) {
      const at = `${what} range ${i}`;
      const rhead = this.r.uint(`${at} flags`, U32_MAX * 4 + 3);
      const base = this.r.uint(`${at} base`, U32_MAX);
      const nmsrs = this.r.uint(`${at} nmsrs`, U32_MAX);
      const full = Math.ceil(nmsrs / 8);
      const stored = this.r.uint(`${at} bitmap size`, Math.min(full, SHARE_LINK_LIMITS.maxBitmapBytes));
      const fillOnes = (rhead & 2) !== 0;
      if (fillOnes && full > SHARE_LINK_LIMITS.maxBitmapBytes) {
        throw new BinaryFormatError('invalid', `${at} has an all-ones bitmap of ${full} bytes`);
      }
      this.bitmapBytes += fillOnes ? full : stored;
      if (this.bitmapBytes > SHARE_LINK_LIMITS.maxTotalBitmapBytes) {
        throw new BinaryFormatError(
          'limit',
          `its bitmaps add up to more than ${SHARE_LINK_LIMITS.maxTotalBitmapBytes} bytes`,
        );
      }
      const range: FilterRange = { flags: Math.floor(rhead / 4), base, nmsrs, bitmap: new Uint8Array(0) };
      if (rhead & 1) range.comment = this.r.string(`${at} comment`);
      this.pending.push({ range, stored, fillOnes });
      ranges.push(range);
    }
    return name === undefined ? { flags, ranges } : { name, flags, ranges };
  }

  step(i: number): Step {
    const at = `step ${i}`;
    const tag = this.r.uint(`${at} tag`, 31);
    const op = tag & 3;
    if (op === OP_RDMSR || op === OP_WRMSR) {
      if (tag & STEP_REPLY_ERROR && !(tag & STEP_REPLY)) {
        throw new BinaryFormatError('invalid', `${at} has an error flag without a reply`);
      }
      const index = this.r.uint(`${at} index`, U32_MAX);
      const host = (tag & STEP_HOST) !== 0;
      const value = op === OP_WRMSR ? this.r.big(`${at} value`) : 0n;
      let reply: VmmReply | undefined;
      if (tag & STEP_REPLY) {
        reply = tag & STEP_REPLY_ERROR ? { error: true } : { error: false, data: this.r.big(`${at} reply`) };
      }
      if (op === OP_RDMSR) return reply ? { op: 'rdmsr', index, host, reply } : { op: 'rdmsr', index, host };
      return reply ? { op: 'wrmsr', index, value, host, reply } : { op: 'wrmsr', index, value, host };
    }
    if (op === OP_SET_FILTER) {
      if (tag & ~(3 | STEP_HAS_FILTER)) throw new BinaryFormatError('invalid', `${at} has unknown flags`);
      return { op: 'set-filter', filter: tag & STEP_HAS_FILTER ? this.policy(`${at} filter`) : null };
    }
    if (tag & ~3) throw new BinaryFormatError('invalid', `${at} has unknown flags`);
    return { op: 'set-exits', exits: this.r.big(`${at} exits`) };
  }

  fillBitmaps(): void {
    for (const p of this.pending) {
      const bytes = this.r.raw(p.stored, 'the bitmaps');
      let bitmap: Uint8Array;
      if (p.fillOnes) {
        bitmap = onesBitmap(p.range.nmsrs);
        bitmap.set(bytes);
      } else bitmap = bytes;
      let end = bitmap.length;
      while (end > 0 && bitmap[end - 1] === 0) end--;
      p.range.bitmap = end === bitmap.length ? bitmap : bitmap.slice(0, end);
    }
  }
}

/** Decodes a v1 body (checksum included). Throws BinaryFormatError. */
export function decodeV1(raw: Uint8Array, layout: LayoutExtensions = V1_LAYOUT): ShareDocument {
  if (raw.length < 3) throw new BinaryFormatError('eof', 'is too short to hold a document');
  const body = raw.subarray(0, raw.length - 2);
  const crc = crc32(body);
  if (raw[raw.length - 2] !== (crc & 0xff) || raw[raw.length - 1] !== ((crc >>> 8) & 0xff)) {
    throw new BinaryFormatError('invalid', 'fails its checksum: some characters were changed');
  }
  const r = new ByteReader(body);
  const d = new Decoder(r);
  const flags = r.uint('document flags', layout.hostModel ? DOC_KNOWN | DOC_HOST : DOC_KNOWN);
  const profile = V1_PROFILES[r.uint('profile', V1_PROFILES.length - 1)];
  const vcpu = V1_VCPUS[r.uint('vCPU model', V1_VCPUS.length - 1)];
  const hostModel = flags & DOC_HOST ? V3_HOSTS[r.uint('host model', V3_HOSTS.length - 1)] : undefined;
  const exits = flags & DOC_EXITS ? r.big('exit mask') : null;
  const vmm =
    flags & DOC_VMM
      ? { read: d.reply('VMM read reply'), write: d.reply('VMM write reply') }
      : { read: { error: true } as const, write: { error: true } as const };
  const name = flags & DOC_NAME ? r.string('name') : undefined;
  const filter = flags & DOC_FILTER ? d.policy('filter') : null;
  const nSteps = d.count('steps', SHARE_LINK_LIMITS.maxSteps, 1);
  const steps: Step[] = [];
  for (let i = 0; i < nSteps; i++) steps.push(d.step(i));
  let expectations: Expectation[] | undefined;
  if (flags & DOC_EXPECTATIONS) {
    const n = d.count('expectations', SHARE_LINK_LIMITS.maxExpectations, 1);
    expectations = [];
    for (let i = 0; i < n; i++) {
      const code = r.byte('an expectation');
      if (code >= V1_EXPECTATIONS.length) throw new BinaryFormatError('invalid', `expectation ${i} is unknown`);
      expectations.push(V1_EXPECTATIONS[code]);
    }
  }
  d.fillBitmaps();
  if (r.remaining !== 0) throw new BinaryFormatError('invalid', `has ${r.remaining} unexpected bytes at its end`);
  const scenario: Scenario = {
    profile,
    vcpu,
    exits,
    ignoreMsrs: (flags & DOC_IGNORE_MSRS) !== 0,
    vmm,
    filter,
    steps,
  };
  if (name !== undefined) scenario.name = name;
  if (hostModel !== undefined) scenario.hostModel = hostModel;
  return expectations === undefined ? { scenario } : { scenario, expectations };
}
