/** The parts of the engine that run accesses (the VM, KVM's emulation, the catalogue's rules): loaded lazily. */

export { compareHosts } from '../../core/host/compare-hosts';
export { isControlResult, runScenario } from '../../core/scenario/run-scenario';
export { SimulatedVm } from '../../core/vm/vm';
