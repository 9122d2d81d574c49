import { SimulatedVm } from '../src/core/index';
import { engineDecisions } from './filter-decisions';
import { installed, randomIndexes, sixteenFullRanges } from './fixtures';
import { type Figure, medianRatio, opsPerSecond } from './measure';

/** A whole guest RDMSR/WRMSR (filter, KVM's emulation, exit, VMM reply; trace off) against the decision alone. */
export function guestAccessFigure(): Figure {
  const policy = sixteenFullRanges('random');
  const f = installed(policy);
  const indexes = randomIndexes(policy, 1 << 14);
  const vm = new SimulatedVm({
    profile: 'linux-6.12',
    vcpu: 'bare',
    exits: 7n,
    ignoreMsrs: false,
    vmm: { read: { error: false, data: 5n }, write: { error: true } },
  });
  vm.setExits(7n);
  vm.setFilter(policy);
  const accesses = () => {
    let ok = 0;
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i];
      const r =
        i & 1
          ? vm.access({ type: 'read', index }, false)
          : vm.access({ type: 'write', index, value: BigInt(i) }, false);
      if (r.result === 'ok') ok++;
    }
    return ok;
  };
  const m = medianRatio(
    () => opsPerSecond(accesses, indexes.length),
    () => opsPerSecond(() => engineDecisions(f, indexes, 1) + engineDecisions(f, indexes, 2), indexes.length * 2),
  );
  return {
    figure: 'full guest accesses/s (trace off)',
    baseline: 'filter decision alone',
    value: m.ratio,
    unit: 'x',
    target: '>= 0.25x',
    pass: m.ratio >= 0.25,
    detail: `accesses ${(m.a / 1e6).toFixed(2)} M/s, decisions ${(m.b / 1e6).toFixed(1)} M/s`,
  };
}
