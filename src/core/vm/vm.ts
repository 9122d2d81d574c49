import { type AccessType, type Errno, EXIT_REASON_BIT, type ExitReason } from '../constants';
import { accessTypeFlag, decidingPolicyRange, decisionAllowed, filterDecision } from '../filter/evaluate';
import { installPolicy } from '../filter/install';
import type { InstalledFilter } from '../filter/installed-filter';
import type { ValidationError } from '../filter/validate';
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
  /** KVM's own verdict on an allowed access (null when the filter denied it). */
  kvm: MsrOutcome | null;
  trace: TraceStep[];
}

export interface ControlResult {
  errno: Errno | null;
  error: ValidationError | null;
  message: string;
}

const CODE_REASON = { err: 'inval', unsupported: 'unknown' } as const;

/**
 * One simulated VM with one vCPU: the installed filter, the user-space exit mask, kvm.ignore_msrs and the vCPU's
 * MSR state. Guest accesses go through the filter, then KVM's emulation, then (maybe) a user-space exit.
 */
export class SimulatedVm {
  readonly profile: KernelProfile;
  readonly model: VcpuModel;
  readonly ignoreMsrs: boolean;
  filter: InstalledFilter | null = null;
  /** The reason mask KVM holds (u32 before 6.0 truncation semantics do not matter: only bits 0-2 mean anything). */
  exitMask = 0n;
  readonly vcpu: VcpuState;
  private readonly defaultReply: { read: VmmReply; write: VmmReply };

  constructor(config: VmConfig) {
    this.profile = getProfile(config.profile);
    this.model = getVcpuModel(config.vcpu);
    this.ignoreMsrs = config.ignoreMsrs;
    this.defaultReply = config.vmm;
    this.vcpu = createVcpuState(this.model);
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
    let kvm = emulateMsrAccess(this.model, this.vcpu, req.type, req.index, req.value ?? 0n, true);
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
      kvm,
      trace,
    };
  }

  private guestAccess(req: AccessRequest, withTrace: boolean): AccessResult {
    const trace: TraceStep[] | undefined = withTrace ? [] : undefined;
    const { type, index } = req;
    const packed = filterDecision(this.profile, this.filter, index, accessTypeFlag(type), trace);
    const range = decidingPolicyRange(this.filter, packed);
    const bit = range === null || !this.filter ? null : index - this.filter.base[(packed >>> 1) - 1];
    let kvm: MsrOutcome | null = null;
    let reason: ExitReason | null = null;
    if (!decisionAllowed(packed)) {
      reason = this.profile.deniedExitReason;
      trace?.push({
        stage: 'kvm',
        text: `KVM returns ${this.profile.deniedCode} without emulating the MSR`,
        tone: 'deny',
      });
    } else {
      kvm = emulateMsrAccess(this.model, this.vcpu, type, index, req.value ?? 0n, false);
      if (kvm.code === 'unsupported' && this.ignoreMsrs) kvm = ignored(kvm, type, trace);
      trace?.push(kvmTrace(kvm, type, this.profile));
      if (kvm.code !== 'ok') reason = CODE_REASON[kvm.code];
    }
    const decision: Decision = reason === null ? 'allow' : kvm === null ? 'eperm' : 'gp';
    const base = { type, index, host: false, decision, range, bit, kvm };
    if (reason === null) {
      const value = type === 'read' ? (kvm?.value ?? 0n) : null;
      trace?.push({ stage: 'result', text: resultText(type, value), tone: 'allow' });
      return { ...base, exit: null, result: 'ok', value, trace: trace ?? [] };
    }
    if ((this.exitMask & BigInt(EXIT_REASON_BIT[reason])) === 0n) {
      trace?.push({
        stage: 'exit',
        text: `exit reason ${reason.toUpperCase()} not enabled in KVM_CAP_X86_USER_SPACE_MSR: KVM injects #GP(0)`,
        tone: 'deny',
      });
      trace?.push({ stage: 'result', text: 'the guest takes #GP(0)', tone: 'deny' });
      return { ...base, exit: null, result: 'gp', value: null, trace: trace ?? [] };
    }
    const reply = req.reply ?? this.defaultReply[type];
    const exitName = type === 'read' ? 'KVM_EXIT_X86_RDMSR' : 'KVM_EXIT_X86_WRMSR';
    trace?.push({
      stage: 'exit',
      text: `${exitName} to user space, reason ${reason.toUpperCase()}, index ${hex32(index)}${type === 'write' ? `, data ${hex64(req.value ?? 0n)}` : ''}`,
      tone: 'neutral',
    });
    if (reply.error) {
      trace?.push({ stage: 'vmm', text: 'the VMM sets error = 1', tone: 'deny' });
      trace?.push({ stage: 'result', text: 'on the next KVM_RUN KVM injects #GP(0)', tone: 'deny' });
      return { ...base, exit: { reason, reply }, result: 'gp', value: null, trace: trace ?? [] };
    }
    const value = type === 'read' ? reply.data : null;
    trace?.push({
      stage: 'vmm',
      text: type === 'read' ? `the VMM answers data = ${hex64(reply.data)}` : 'the VMM accepts the write (error = 0)',
      tone: 'allow',
    });
    trace?.push({ stage: 'result', text: resultText(type, value), tone: 'allow' });
    return { ...base, exit: { reason, reply }, result: 'ok', value, trace: trace ?? [] };
  }
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
