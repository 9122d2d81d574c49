/**
 * MSRs that KVM lets a guest touch without an intercept, so that a kvm:kvm_msr trace never shows them even though a
 * 64-bit Linux guest reads and writes them at every boot. From the kernel source (v6.1 - v6.18):
 * - arch/x86/kvm/svm/svm.c `direct_access_msrs[]` / `svm_recalc_msr_intercepts()`: STAR, LSTAR, CSTAR, SFMASK,
 *   FS_BASE, GS_BASE, KERNEL_GS_BASE, SYSENTER_CS/ESP/EIP always; TSC_AUX with RDTSCP/RDPID in the guest's CPUID;
 *   SPEC_CTRL after the guest's first write; PRED_CMD and FLUSH_CMD (writes) with their CPUID bits.
 * - arch/x86/kvm/vmx/vmx.c `vmx_possible_passthrough_msrs[]` / `vmx_vcpu_setup()`: FS_BASE, GS_BASE,
 *   KERNEL_GS_BASE, SYSENTER_CS/ESP/EIP, TSC (reads), SPEC_CTRL, PRED_CMD, FLUSH_CMD, XFD, XFD_ERR.
 * The filter still decides for them: vmx_disable_intercept_for_msr() and svm_set_msr_interception() consult
 * kvm_msr_allowed() and keep the intercept where the filter denies, so a learned policy must allow them.
 */
export interface PassthroughMsr {
  index: number;
  name: string;
  access: 'read' | 'write' | 'rw';
  backends: string;
}

export const PASSTHROUGH_MSRS: readonly PassthroughMsr[] = [
  { index: 0x10, name: 'IA32_TSC', access: 'read', backends: 'vmx' },
  { index: 0x48, name: 'IA32_SPEC_CTRL', access: 'rw', backends: 'vmx, svm (after the first write)' },
  { index: 0x49, name: 'IA32_PRED_CMD', access: 'write', backends: 'vmx, svm' },
  { index: 0x10b, name: 'IA32_FLUSH_CMD', access: 'write', backends: 'vmx, svm' },
  { index: 0x174, name: 'IA32_SYSENTER_CS', access: 'rw', backends: 'vmx, svm' },
  { index: 0x175, name: 'IA32_SYSENTER_ESP', access: 'rw', backends: 'vmx, svm' },
  { index: 0x176, name: 'IA32_SYSENTER_EIP', access: 'rw', backends: 'vmx, svm' },
  { index: 0x1c4, name: 'IA32_XFD', access: 'rw', backends: 'vmx' },
  { index: 0x1c5, name: 'IA32_XFD_ERR', access: 'rw', backends: 'vmx' },
  { index: 0xc0000081, name: 'STAR', access: 'rw', backends: 'svm' },
  { index: 0xc0000082, name: 'LSTAR', access: 'rw', backends: 'svm' },
  { index: 0xc0000083, name: 'CSTAR', access: 'rw', backends: 'svm' },
  { index: 0xc0000084, name: 'SFMASK', access: 'rw', backends: 'svm' },
  { index: 0xc0000100, name: 'FS_BASE', access: 'rw', backends: 'vmx, svm' },
  { index: 0xc0000101, name: 'GS_BASE', access: 'rw', backends: 'vmx, svm' },
  { index: 0xc0000102, name: 'KERNEL_GS_BASE', access: 'rw', backends: 'vmx, svm' },
  { index: 0xc0000103, name: 'TSC_AUX', access: 'rw', backends: 'svm (with RDTSCP/RDPID)' },
];
