#!/bin/bash
# Records a real kvm:kvm_msr ftrace of a 64-bit Linux guest booting, on a machine without VMX/SVM of its own:
# L0 (this machine) runs Debian's 6.1 kernel under QEMU TCG with an emulated SVM CPU (L1); L1 loads kvm_amd,
# enables the kvm:kvm_msr trace event and boots the same kernel as an L2 guest with `-accel kvm -cpu L2CPU`.
# Output: OUT.trace (the ftrace text, as `trace-cmd report` / /sys/kernel/tracing/trace prints it) and
# OUT.dmesg (the L2 guest's own dmesg lines about MSRs). See ../../docs/formats.md ("msrfilter learn").
# usage: record-boot-trace.sh [OUT-PREFIX] [L2CPU]   (default: ./boot host; L2CPU e.g. host, EPYC, qemu64)
# Work files (the kernel .deb, the vmlinux, the initramfs: ~300 MB) go to $W (default /tmp/msr-trace-work).
set -euo pipefail
OUT=$(realpath -m "${1:-./boot}")
L2CPU=${2:-host}
W=${W:-/tmp/msr-trace-work}
mkdir -p "$W"; cd "$W"
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx poweroff || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's current 6.1 kernel (the ABI number moves: resolve it, never hard-code it); download, do not install.
PKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
KVER=${PKG#linux-image-}
if [ ! -d "kroot/lib/modules/$KVER" ]; then
  apt-get download "$PKG" >/dev/null 2>&1
  dpkg-deb -x "${PKG}"_*.deb kroot
fi
# The decompressed ELF boots through its PVH note and saves ~5 s of XZ under TCG.
if [ ! -f "vmlinux-$KVER" ]; then
  python3 -c "import lzma,sys;d=open(sys.argv[1],'rb').read();i=d.find(b'\xfd7zXZ\x00');open(sys.argv[2],'wb').write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[i:]))" \
    "kroot/boot/vmlinuz-$KVER" "vmlinux-$KVER"
fi
# --- L2: busybox; prints its MSR-related dmesg lines, then powers off.
rm -rf l2 && mkdir -p l2/{bin,proc,sys,dev}
cp /bin/busybox l2/bin/
cat > l2/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t devtmpfs devtmpfs /dev
echo "=== L2-DMESG-BEGIN"; dmesg | grep -iE 'msr' ; echo "=== L2-DMESG-END"
poweroff -f
INIT
chmod +x l2/init
(cd l2 && find . | cpio -o -H newc 2>/dev/null | gzip -1) > l2.cpio.gz
# --- L1: kvm_amd, QEMU and its libraries at their paths, the L2 kernel and initramfs.
rm -rf l1 && mkdir -p l1/{bin,proc,sys,dev,tmp,lib/modules,l2,usr/share/qemu}
cp /bin/busybox l1/bin/
Q=$(command -v qemu-system-x86_64)
mkdir -p "l1$(dirname "$Q")"; cp "$Q" "l1$Q"
for lib in $(ldd "$Q" | awk '/=> \//{print $3} /^\s*\/lib/{print $1}'); do
  mkdir -p "l1$(dirname "$lib")"; cp -L "$lib" "l1$lib"
done
mkdir -p l1/lib64; cp -L /lib64/ld-linux-x86-64.so.2 l1/lib64/
for f in bios-256k.bin pvh.bin linuxboot_dma.bin kvmvapic.bin; do
  for d in /usr/share/qemu /usr/share/seabios; do [ -e "$d/$f" ] && { cp -L "$d/$f" l1/usr/share/qemu/; break; }; done
done
M=kroot/lib/modules/$KVER/kernel
cp $M/virt/lib/irqbypass.ko $M/arch/x86/kvm/kvm.ko $M/arch/x86/kvm/kvm-amd.ko $M/drivers/crypto/ccp/ccp.ko l1/lib/modules/
cp "vmlinux-$KVER" l1/l2/vmlinux; cp l2.cpio.gz l1/l2/
cat > l1/init <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in irqbypass kvm ccp kvm-amd; do insmod /lib/modules/\$m.ko; done
T=/sys/kernel/tracing; mount -t tracefs nodev \$T
echo 65536 > \$T/buffer_size_kb; echo > \$T/trace
echo 1 > \$T/events/kvm/kvm_msr/enable; echo 1 > \$T/tracing_on
qemu-system-x86_64 -L /usr/share/qemu -accel kvm -cpu $L2CPU -smp 1 -m 256 -nographic -vga none -no-reboot \
  -nic none -kernel /l2/vmlinux -initrd /l2/l2.cpio.gz -append "console=ttyS0 panic=-1 rdinit=/init quiet" > /tmp/l2.out 2>&1
echo 0 > \$T/tracing_on
{ echo "=== TRACE-BEGIN"; echo "# L1: Debian linux $KVER kvm_amd under QEMU TCG -cpu EPYC,+svm; L2: the same kernel, -accel kvm -cpu $L2CPU -smp 1 -m 256"; cat \$T/trace; echo "=== TRACE-END";
  echo "=== DMESG-BEGIN"; sed -n '/=== L2-DMESG-BEGIN/,/=== L2-DMESG-END/p' /tmp/l2.out | tr -d '\r' | grep -v '^===' ; echo "=== DMESG-END"; } > /dev/ttyS1
poweroff -f
INIT
chmod +x l1/init
(cd l1 && find . | cpio -o -H newc 2>/dev/null) > l1.cpio
rm -f ttyS1.raw
timeout 600 qemu-system-x86_64 -accel tcg -cpu EPYC,+svm -smp 1 -m 2048 -display none -vga none -no-reboot \
  -nic none -serial file:ttyS0.log -serial file:ttyS1.raw -kernel "vmlinux-$KVER" -initrd l1.cpio \
  -append "console=ttyS0 panic=-1 rdinit=/init quiet"
tr -d '\r' < ttyS1.raw | sed -n '/^=== TRACE-BEGIN/,/^=== TRACE-END/p' | grep -v '^=== TRACE' > "$OUT.trace"
tr -d '\r' < ttyS1.raw | sed -n '/^=== DMESG-BEGIN/,/^=== DMESG-END/p' | grep -v '^=== DMESG' > "$OUT.dmesg"
echo "wrote $OUT.trace ($(grep -c 'kvm_msr:' "$OUT.trace") kvm_msr events) and $OUT.dmesg ($(wc -l < "$OUT.dmesg") lines)"
