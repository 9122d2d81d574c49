/**
 * Test helpers that build and run exported code with the machine's own toolchain (gcc, rustc) and /dev/kvm.
 * Node-only: they live beside the CLI, never in src/core.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

export function hasCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** /dev/kvm exists and this process may open it read-write. */
export function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export class Workdir {
  readonly path = mkdtempSync(join(tmpdir(), 'msrfilter-export-'));
  file(name: string, text: string): string {
    const p = join(this.path, name);
    writeFileSync(p, text);
    return p;
  }
  join(name: string): string {
    return join(this.path, name);
  }
  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export const GCC_FLAGS = ['-Wall', '-Wextra', '-Werror', '-std=gnu11'];

/** Compiles C with the project's flags; returns the binary's path, or the compiler's complaint. */
export function compileC(dir: Workdir, name: string, source: string): { binary: string | null; log: string } {
  const src = dir.file(`${name}.c`, source);
  const binary = dir.join(name);
  const r = run('gcc', [...GCC_FLAGS, '-o', binary, src]);
  return { binary: r.status === 0 ? binary : null, log: r.stderr + r.stdout };
}

/** The errno name a generated program reported (`KVM_X86_SET_MSR_FILTER: EINVAL (Invalid argument)`). */
export function reportedErrno(stderr: string): string | null {
  const m = /: (E[A-Z0-9]+) \(/.exec(stderr);
  return m ? m[1] : null;
}

/**
 * A stand-in for rust-vmm's kvm-bindings crate with the same names, types and layout for what the export uses
 * (x86_64 bindings: kvm_msr_filter_range, kvm_msr_filter, kvm_enable_cap and the constants), so the generated
 * Rust can be compiled offline. The size checks pin the layout to the kernel's (24, 392 and 104 bytes).
 */
export const KVM_BINDINGS_STUB = `#![allow(non_camel_case_types)]
pub type __u8 = ::std::os::raw::c_uchar;
pub type __u32 = ::std::os::raw::c_uint;
pub type __u64 = ::std::os::raw::c_ulonglong;

pub const KVM_MSR_FILTER_MAX_BITMAP_SIZE: u32 = 1536;
pub const KVM_MSR_FILTER_READ: u32 = 1;
pub const KVM_MSR_FILTER_WRITE: u32 = 2;
pub const KVM_MSR_FILTER_RANGE_VALID_MASK: u32 = 3;
pub const KVM_MSR_FILTER_MAX_RANGES: u32 = 16;
pub const KVM_MSR_FILTER_DEFAULT_ALLOW: u32 = 0;
pub const KVM_MSR_FILTER_DEFAULT_DENY: u32 = 1;
pub const KVM_MSR_FILTER_VALID_MASK: u32 = 1;
pub const KVM_MSR_EXIT_REASON_INVAL: u32 = 1;
pub const KVM_MSR_EXIT_REASON_UNKNOWN: u32 = 2;
pub const KVM_MSR_EXIT_REASON_FILTER: u32 = 4;
pub const KVM_MSR_EXIT_REASON_VALID_MASK: u32 = 7;
pub const KVM_CAP_X86_USER_SPACE_MSR: u32 = 188;
pub const KVM_CAP_X86_MSR_FILTER: u32 = 189;

#[repr(C)]
#[derive(Debug, Copy, Clone, PartialEq)]
pub struct kvm_msr_filter_range {
    pub flags: __u32,
    pub nmsrs: __u32,
    pub base: __u32,
    pub bitmap: *mut __u8,
}
impl Default for kvm_msr_filter_range {
    fn default() -> Self {
        unsafe { ::std::mem::zeroed() }
    }
}

#[repr(C)]
#[derive(Debug, Copy, Clone, PartialEq)]
pub struct kvm_msr_filter {
    pub flags: __u32,
    pub ranges: [kvm_msr_filter_range; 16usize],
}
impl Default for kvm_msr_filter {
    fn default() -> Self {
        unsafe { ::std::mem::zeroed() }
    }
}

#[repr(C)]
#[derive(Debug, Copy, Clone, PartialEq)]
pub struct kvm_enable_cap {
    pub cap: __u32,
    pub flags: __u32,
    pub args: [__u64; 4usize],
    pub pad: [__u8; 64usize],
}
impl Default for kvm_enable_cap {
    fn default() -> Self {
        unsafe { ::std::mem::zeroed() }
    }
}

const _: () = assert!(::std::mem::size_of::<kvm_msr_filter_range>() == 24);
const _: () = assert!(::std::mem::size_of::<kvm_msr_filter>() == 392);
const _: () = assert!(::std::mem::size_of::<kvm_enable_cap>() == 104);
`;

export interface RustCase {
  /** A Rust identifier for the module. */
  id: string;
  source: string;
  hasExits: boolean;
}

/**
 * A program that installs each case's filter on a fresh VM, in order, and prints `<id> ok` or `<id> errno <n>`
 * (`<id> skipped` without /dev/kvm). Raw ioctls, so it needs no crate but the stub.
 */
export function rustHarness(cases: readonly RustCase[]): string {
  const mods = cases.map((c) => `#[allow(dead_code)]\n#[path = "${c.id}.rs"]\nmod ${c.id};`).join('\n');
  const calls = cases
    .map(
      (c) =>
        `    report("${c.id}", install(&${c.id}::msr_filter(), ${c.hasExits ? `Some(${c.id}::user_space_msr_cap())` : 'None'}));`,
    )
    .join('\n');
  return `${mods}

use std::os::raw::{c_char, c_int, c_ulong};

extern "C" {
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
    fn close(fd: c_int) -> c_int;
}

const O_RDWR: c_int = 2;
const KVM_CREATE_VM: c_ulong = 0xae01;
const KVM_ENABLE_CAP: c_ulong = 0x4068_aea3;
const KVM_X86_SET_MSR_FILTER: c_ulong = 0x4188_aec6;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn install(filter: &kvm_bindings::kvm_msr_filter, cap: Option<kvm_bindings::kvm_enable_cap>) -> Result<bool, i32> {
    unsafe {
        let kvm = open(b"/dev/kvm\\0".as_ptr() as *const c_char, O_RDWR);
        if kvm < 0 {
            return Ok(false);
        }
        let vm = ioctl(kvm, KVM_CREATE_VM, 0 as c_ulong);
        if vm < 0 {
            return Ok(false);
        }
        let mut result = Ok(true);
        if let Some(cap) = cap {
            if ioctl(vm, KVM_ENABLE_CAP, &cap as *const kvm_bindings::kvm_enable_cap) < 0 {
                result = Err(errno());
            }
        }
        if result.is_ok() && ioctl(vm, KVM_X86_SET_MSR_FILTER, filter as *const kvm_bindings::kvm_msr_filter) < 0 {
            result = Err(errno());
        }
        close(vm);
        close(kvm);
        result
    }
}

fn report(id: &str, r: Result<bool, i32>) {
    match r {
        Ok(true) => println!("{} ok", id),
        Ok(false) => println!("{} skipped", id),
        Err(e) => println!("{} errno {}", id, e),
    }
}

fn main() {
${calls}
}
`;
}

/** Linux errno numbers of the names the validator uses. */
export const ERRNO_NUMBERS: Record<string, number> = {
  EPERM: 1,
  ENOENT: 2,
  E2BIG: 7,
  ENOMEM: 12,
  EFAULT: 14,
  EINVAL: 22,
};
