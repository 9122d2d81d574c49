import {
  type AccessResult,
  DEFAULT_HOST_MODEL,
  type Errno,
  type FilterPolicy,
  getProfile,
  getVcpuModel,
  hex32,
  type SimulatedVm,
} from '../../core/index';
import type { PlaygroundDocument } from './document';
import { type Engine, engine, loadEngine } from './engine';
import type { SliceCreator } from './types';

/** One access fired from the console. */
export interface FireRequest {
  op: 'rdmsr' | 'wrmsr';
  index: number;
  /** For writes. */
  value: bigint;
  host: boolean;
}

export interface AccessLogEntry {
  kind: 'access';
  id: number;
  request: FireRequest;
  result: AccessResult;
}

/** Something the simulated VMM did before an access: a new VM, a filter replaced, the exit mask changed. */
export interface NoteLogEntry {
  kind: 'note';
  id: number;
  text: string;
  errno: Errno | null;
}

export type LogEntry = AccessLogEntry | NoteLogEntry;

/** The run log: what happened when each access was fired. It is history, not document: edits never rewrite it. */
export interface RunSlice {
  /** Oldest first. */
  log: LogEntry[];
  /**
   * Fires one access at the session's VM, first bringing the VM in line with the document (logged as notes). Null
   * when the simulator's chunk is still loading: the access is then fired as soon as it has.
   */
  fire(req: FireRequest): AccessResult | null;
  clearLog(): void;
  /** Drops the session's VM: the next access starts a fresh one. */
  resetVm(): void;
}

export const LOG_LIMIT = 500;

/** The live VM and what the document looked like when it was last brought in line. */
interface Session {
  vm: SimulatedVm;
  key: string;
  policy: FilterPolicy | undefined;
  exits: bigint | null | undefined;
}

const vmKey = (d: PlaygroundDocument) => `${d.profile}|${d.vcpu}|${d.hostModel ?? DEFAULT_HOST_MODEL}|${d.ignoreMsrs}`;

export const createRunSlice = (): SliceCreator<RunSlice> => (set, get) => {
  let session: Session | null = null;
  let nextId = 1;

  /** Brings the session's VM in line with the document and returns the notes that describe what changed. */
  function sync(doc: PlaygroundDocument, { SimulatedVm }: Engine): NoteLogEntry[] {
    const notes: NoteLogEntry[] = [];
    const note = (text: string, errno: Errno | null = null) => notes.push({ kind: 'note', id: nextId++, text, errno });
    if (!session || session.key !== vmKey(doc)) {
      const vm = new SimulatedVm({ ...doc, exits: doc.exits });
      note(
        `new VM: ${getProfile(doc.profile).label}, vCPU ${getVcpuModel(doc.vcpu).id}, host ${doc.hostModel ?? DEFAULT_HOST_MODEL}, ignore_msrs=${doc.ignoreMsrs ? 1 : 0}`,
      );
      session = { vm, key: vmKey(doc), policy: undefined, exits: undefined };
    }
    const s = session;
    if (s.exits !== doc.exits && !(s.exits === undefined && doc.exits === null)) {
      const mask = doc.exits ?? 0n;
      const r = s.vm.setExits(mask);
      note(
        `KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR, 0x${mask.toString(16)}): ${r.errno ?? 'ok'}; ${r.message}`,
        r.errno,
      );
    }
    s.exits = doc.exits;
    if (s.policy !== doc.policy) {
      const r = s.vm.setFilter(doc.policy);
      note(`KVM_X86_SET_MSR_FILTER: ${r.errno ?? 'ok'}; ${r.message}`, r.errno);
      s.policy = doc.policy;
    }
    return notes;
  }

  return {
    log: [],
    fire: (req) => {
      const e = engine();
      if (!e) {
        void loadEngine().then(() => get().fire(req));
        return null;
      }
      const doc = get().doc;
      const notes = sync(doc, e);
      const vm = (session as Session).vm;
      const type = req.op === 'rdmsr' ? 'read' : 'write';
      const result = vm.access({
        type,
        index: req.index,
        value: req.op === 'wrmsr' ? req.value : undefined,
        host: req.host,
        reply: doc.vmm[type],
      });
      const entry: AccessLogEntry = { kind: 'access', id: nextId++, request: req, result };
      set({ log: [...get().log, ...notes, entry].slice(-LOG_LIMIT) });
      return result;
    },
    clearLog: () => set({ log: [] }),
    resetVm: () => {
      session = null;
      set({ log: [] });
    },
  };
};

/** The cell that decided the last fired access, for the grid's highlight; null when a default action decided. */
export function lastDecided(log: readonly LogEntry[]): { range: number; bit: number } | null {
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i];
    if (e.kind !== 'access') continue;
    const { range, bit } = e.result;
    return range !== null && bit !== null ? { range, bit } : null;
  }
  return null;
}

export function describeRequest(r: FireRequest): string {
  return `${r.op.toUpperCase()} ${hex32(r.index)}${r.host ? ' (host)' : ''}`;
}
