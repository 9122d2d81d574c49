import { type AccessType, type Errno, EXIT_REASON_BIT, type ExitReason, X2APIC_FIRST, X2APIC_LAST } from '../constants';
import { accessTypeFlag, filterDecision } from '../filter/evaluate';
import { installPolicy } from '../filter/install';
import type { InstalledFilter } from '../filter/installed-filter';
import type { ValidationError } from '../filter/validate';
import { onHost } from '../host/effective-model';
import { DEFAULT_HOST_MODEL, getHostModel, type HostModel } from '../host/host-models';
import { hex32, hex64 } from '../numbers';
import type { FilterPolicy } from '../policy/types';
import { getProfile } from '../profiles/profiles';
import type { KernelProfile } from '../profiles/types';
import type { VmConfig, VmmReply } from '../scenario/types';
import type { TraceStep } from '../trace';
import { emulateMsrAccess, type MsrOutcome } from '../vcpu/emulate';
import { getVcpuModel, type VcpuModel } from '../vcpu/models';
import { createVcpuState, type VcpuState } from '../vcpu/state';

export type Decision = 'allow' | 'eperm' | 'gp';

export interface AccessRequest {
  type: AccessType;
  index: number;
  /** For writes. */
  value?: bigint;
  /** KVM_GET_MSRS / KVM_SET_MSRS from the VMM instead of a guest instruction. */
  host?: boolean;
  /** How the VMM answers a user-space exit; defaults to the VM's configured reply. */
  reply?: VmmReply;
}

export interface AccessResult {
  type: AccessType;
  index: number;
  host: boolean;
  decision: Decision;
  exit: { reason: ExitReason; reply: VmmReply } | null;
  result: 'ok' | 'gp' | 'error';
  value: bigint | null;
  /** The policy range that decided, or null. */
  range: number | null;
  /** The bit of that range's bitmap that decided. */
  bit: number | null;
  /**
   * What decided at the filter stage of a guest access: a range's bit, the default action (or, in the allow-list
   * series, which has none, no range covering it), or no filter decision at all (x2APIC exemption, no filter installed,
   * no ranges, the backend's VM-exit fastpath); null for host accesses.
   */
  filterBy: FilterBy | null;
  /** KVM's own verdict on an allowed access (null when the filter denied it). */
  kvm: MsrOutcome | null;
  trace: TraceStep[];
}

export type FilterBy = 'range' | 'default' | 'uncovered' | 'x2apic' | 'no-filter' | 'no-ranges' | 'fastpath';

export interface ControlResult {
  errno: Errno | null;
  error: ValidationError | null;
  message: string;
}

const CODE_REASON = { err: 'inval', unsupported: 'unknown' } as const;

/**
 * kvm_is_immutable_feature_msr() (profile `immutableFeatureMsrs`: on 6.18, not on the measured 6.1): once the vCPU has
 * run (KVM_RUN), KVM_SET_MSRS may only write these feature MSRs
 * with the value they already hold (do_set_msr() returns -EINVAL otherwise). Measured on 6.18: a host write of 0 to
 * MSR_PLATFORM_INFO succeeds before the first guest access and fails after it. (IA32_UCODE_REV is exempt.)
 */
const IMMUTABLE_AFTER_RUN = new Set([0xce, 0x10a, 0x345, 0xc0011029]);

/**
 * One simulated VM with one vCPU: the installed filter, the user-space exit mask, kvm.ignore_msrs and the vCPU's
 * MSR state. Guest accesses go through the filter, then KVM's emulation, then (maybe) a user-space exit.
 */
export class SimulatedVm {
  readonly profile: KernelProfile;
  readonly model: VcpuModel;
  readonly host: HostModel;
  readonly ignoreMsrs: boolean;
  filter: InstalledFilter | null = null;
  /** The reason mask KVM holds (u32 before 6.0 truncation semantics do not matter: only bits 0-2 mean anything). */
  exitMask = 0n;
  /** The low bits of the mask as a number, for the per-access check. */
  private exitBits = 0;
  readonly vcpu: VcpuState;
  /** The vCPU has entered the guest at least once (every guest access runs it). */
  hasRun = false;
  private readonly defaultReply: { read: VmmReply; write: VmmReply };

  constructor(config: VmConfig) {
    this.profile = getProfile(config.profile);
    this.host = getHostModel(config.hostModel ?? DEFAULT_HOST_MODEL);
    this.model = onHost(getVcpuModel(config.vcpu), this.host);
    this.ignoreMsrs = config.ignoreMsrs;
    this.defaultReply = config.vmm;
    this.vcpu = createVcpuState(this.model, this.profile.absentIsUnsupported);
  }

  /** KVM_X86_SET_MSR_FILTER (or the allow list's clear + add-range calls). */
  setFilter(policy: FilterPolicy | null): ControlResult {
    const out = installPolicy(this.profile, this.filter, policy);
    this.filter = out.installed;
    return {
      errno: out.errno,
      error: out.error,
      message: out.error ? `${out.error.message}; ${out.effect}` : out.effect,
    };
  }

  /** KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR, mask). */
  setExits(mask: bigint): ControlResult {
    if (this.profile.checksExitMask && mask & ~7n) {
      return {
        errno: 'EINVAL',
        error: null,
        message: `mask 0x${mask.toString(16)} has bits outside KVM_MSR_EXIT_REASON_VALID_MASK (0x7); mask unchanged`,
      };
    }
    this.exitMask = mask & 0xffff_ffffn;
    this.exitBits = Number(mask & 7n);
    return { errno: null, error: null, message: `exit reasons set to 0x${this.exitMask.toString(16)}` };
  }

  access(req: AccessRequest, withTrace = true): AccessResult {
    return req.host ? this.hostAccess(req, withTrace) : this.guestAccess(req, withTrace);
  }

  private hostAccess(req: AccessRequest, withTrace: boolean): AccessResult {
    const trace: TraceStep[] = [];
    if (withTrace) {
      const ioctl = req.type === 'read' ? 'KVM_GET_MSRS' : 'KVM_SET_MSRS';
      trace.push({ stage: 'filter', text: `host-initiated ${ioctl}: the filter is not consulted`, tone: 'allow' });
    }
    let kvm =
      this.frozenFeatureMsr(req) ??
      emulateMsrAccess(this.model, this.vcpu, req.type, req.index, req.value ?? 0n, true, withTrace);
    if (kvm.code === 'unsupported' && this.ignoreMsrs) kvm = ignored(kvm, req.type, withTrace ? trace : undefined);
    if (withTrace) trace.push(kvmTrace(kvm, req.type));
    const ok = kvm.code === 'ok';
    if (withTrace) {
      trace.push({
        stage: 'result',
        text: ok ? 'the ioctl processes the MSR' : 'the ioctl stops at this MSR (returns 0 MSRs processed)',
        tone: ok ? 'allow' : 'deny',
      });
    }
    return {
      type: req.type,
      index: req.index,
      host: true,
      decision: ok ? 'allow' : 'gp',
      exit: null,
      result: ok ? 'ok' : 'error',
      value: ok && req.type === 'read' ? (kvm.value ?? 0n) : null,
      range: null,
      bit: null,
      filterBy: null,
      kvm,
      trace,
    };
  }

  /** A host write that changes an immutable feature MSR after the vCPU has run: refused before any handler. */
  private frozenFeatureMsr(req: AccessRequest): MsrOutcome | null {
    if (!this.profile.immutableFeatureMsrs) return null;
    if (req.type !== 'write' || !this.hasRun || !IMMUTABLE_AFTER_RUN.has(req.index)) return null;
    const now = emulateMsrAccess(this.model, this.vcpu, 'read', req.index, 0n, true);
    if (now.code === 'ok' && now.value === (req.value ?? 0n)) return null;
    return {
      code: 'err',
      why: 'the vCPU has already run: KVM_SET_MSRS may not change this feature MSR any more (-EINVAL)',
    };
  }

  private guestAccess(req: AccessRequest, withTrace: boolean): AccessResult {
    this.hasRun = true;
    const trace: TraceStep[] | undefined = withTrace ? [] : undefined;
    const { type, index } = req;
    const f = this.filter;
    const fastpath = type === 'write' ? this.host.fastpathWrites?.get(index) : undefined;
    if (fastpath) trace?.push({ stage: 'filter', text: `not filtered: ${fastpath}`, tone: 'allow' });
    const packed = fastpath ? 1 : filterDecision(this.profile, f, index, accessTypeFlag(type), trace);
    const k = (packed >>> 1) - 1;
    const range = f !== null && k >= 0 ? f.source[k] : null;
    const bit = f !== null && k >= 0 ? index - f.base[k] : null;
    const filterBy: FilterBy = fastpath
      ? 'fastpath'
      : range !== null
        ? 'range'
        : this.profile.x2apicExempt && index >= X2APIC_FIRST && index <= X2APIC_LAST
          ? 'x2apic'
          : f === null
            ? 'no-filter'
            : f.count === 0 && this.profile.countZeroAllowsAll
              ? 'no-ranges'
              : this.profile.hasDefaultAction
                ? 'default'
                : 'uncovered';
    let kvm: MsrOutcome | null = null;
    let reason: ExitReason | null = null;
    if ((packed & 1) === 0) {
      reason = this.profile.deniedExitReason;
      trace?.push({
        stage: 'kvm',
        text: `KVM returns ${this.profile.deniedCode} without emulating the MSR`,
        tone: 'deny',
      });
    } else {
      kvm = emulateMsrAccess(this.model, this.vcpu, type, index, req.value ?? 0n, false, withTrace);
      if (kvm.code === 'unsupported' && this.ignoreMsrs) kvm = ignored(kvm, type, trace);
      trace?.push(kvmTrace(kvm, type, this.profile));
      if (kvm.code !== 'ok') reason = CODE_REASON[kvm.code];
    }
    const decision: Decision = reason === null ? 'allow' : kvm === null ? 'eperm' : 'gp';
    let exit: AccessResult['exit'] = null;
    let result: AccessResult['result'];
    let value: bigint | null = null;
    if (reason === null) {
      result = 'ok';
      if (type === 'read') value = kvm?.value ?? 0n;
    } else if ((this.exitBits & EXIT_REASON_BIT[reason]) === 0) {
      result = 'gp';
      if (trace) {
        const why = `exit reason ${reason.toUpperCase()} not enabled in KVM_CAP_X86_USER_SPACE_MSR: KVM injects #GP(0)`;
        trace.push({ stage: 'exit', text: why, tone: 'deny' });
      }
    } else {
      const reply = req.reply ?? this.defaultReply[type];
      exit = { reason, reply };
      if (trace) trace.push(exitTrace(type, reason, index, req.value ?? 0n), replyTrace(type, reply));
      if (reply.error) result = 'gp';
      else {
        result = 'ok';
        if (type === 'read') value = reply.data;
      }
    }
    if (trace) {
      const ok = result === 'ok';
      trace.push({
        stage: 'result',
        text: ok ? resultText(type, value) : 'the guest takes #GP(0)',
        tone: ok ? 'allow' : 'deny',
      });
    }
    return {
      type,
      index,
      host: false,
      decision,
      exit,
      result,
      value,
      range,
      bit,
      filterBy,
      kvm,
      trace: trace ?? NO_TRACE,
    };
  }
}

const NO_TRACE: TraceStep[] = [];

function exitTrace(type: AccessType, reason: ExitReason, index: number, data: bigint): TraceStep {
  const name = type === 'read' ? 'KVM_EXIT_X86_RDMSR' : 'KVM_EXIT_X86_WRMSR';
  const tail = type === 'write' ? `, data ${hex64(data)}` : '';
  return {
    stage: 'exit',
    text: `${name} to user space, reason ${reason.toUpperCase()}, index ${hex32(index)}${tail}`,
    tone: 'neutral',
  };
}

function replyTrace(type: AccessType, reply: VmmReply): TraceStep {
  if (reply.error)
    return { stage: 'vmm', text: 'the VMM sets error = 1: KVM injects #GP(0) on the next KVM_RUN', tone: 'deny' };
  const text =
    type === 'read' ? `the VMM answers data = ${hex64(reply.data)}` : 'the VMM accepts the write (error = 0)';
  return { stage: 'vmm', text, tone: 'allow' };
}

function resultText(type: AccessType, value: bigint | null): string {
  return type === 'read' ? `RDMSR completes: EDX:EAX = ${hex64(value ?? 0n)}` : 'WRMSR completes';
}

function ignored(kvm: MsrOutcome, type: AccessType, trace: TraceStep[] | undefined): MsrOutcome {
  trace?.push({
    stage: 'kvm',
    text: `kvm.ignore_msrs=1: the unsupported ${type === 'read' ? 'read returns 0' : 'write is dropped'}`,
    tone: 'neutral',
  });
  return { code: 'ok', value: type === 'read' ? 0n : undefined, why: `${kvm.why} (ignored: kvm.ignore_msrs)` };
}

function kvmTrace(kvm: MsrOutcome, type: AccessType, profile?: KernelProfile): TraceStep {
  const verb = type === 'read' ? 'read' : 'write';
  if (kvm.code === 'ok') return { stage: 'kvm', text: `KVM handles the ${verb}: ${kvm.why}`, tone: 'allow' };
  const code = kvm.code === 'err' ? '1 (#GP)' : (profile?.unsupportedCode ?? 'KVM_MSR_RET_UNSUPPORTED');
  return { stage: 'kvm', text: `KVM refuses the ${verb} (${code}): ${kvm.why}`, tone: 'deny' };
}
