/*
 * guest-init.c - PID 1 of the tiny initramfs the QEMU backend boots (oracle/qemu/README.md).
 *
 * Mounts /proc, /sys, debugfs and devtmpfs, loads the modules listed in /modules.list (one file name per line, in order,
 * optional parameters after a space) with finit_module, then serves requests on /dev/ttyS1 (raw):
 *
 *   host -> guest:  "@@run N\n" followed by exactly N bytes: the helper's stdin
 *   guest -> host:  every line the helper prints, then "@@end STATUS\n" (STATUS: exit code, or 128+signal)
 *   host -> guest:  "@@quit\n" powers the guest off
 *
 * At start it prints "@@info KEY VALUE" lines (kernel release, CPU model, module parameters) and "@@ready", or
 * "@@fail MESSAGE" when a module does not load (then it waits for @@quit).
 * Build: gcc -static -O2 -Wall -o init guest-init.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define HELPER "/bin/kvm-oracle"
#define SCRIPT "/tmp/script"
#define MAX_SCRIPT (64 * 1024 * 1024)

static FILE *chan_out;
static int chan_in;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(chan_out, fmt, ap);
	va_end(ap);
	fflush(chan_out);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* Reads one line (without '\n') from the channel; returns its length or -1 at end of input. */
static int read_line(char *buf, int size)
{
	int n = 0;
	for (;;) {
		char c;
		ssize_t r = read(chan_in, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (c == '\n')
			break;
		if (c == '\r')
			continue;
		if (n < size - 1)
			buf[n++] = c;
	}
	buf[n] = 0;
	return n;
}

static int read_exact(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int load_modules(void)
{
	FILE *list = fopen("/modules.list", "r");
	if (!list) {
		say("@@fail /modules.list missing\n");
		return -1;
	}
	char line[512];
	while (fgets(line, sizeof line, list)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		char *params = strchr(line, ' ');
		if (params)
			*params++ = 0;
		char path[600];
		snprintf(path, sizeof path, "/lib/modules/%s", line);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, params ? params : "", 0) != 0) {
			say("@@fail loading %s: %s\n", line, strerror(errno));
			fclose(list);
			return -1;
		}
		close(fd);
	}
	fclose(list);
	return 0;
}

static void print_info(void)
{
	struct utsname u;
	if (uname(&u) == 0)
		say("@@info kernel %s %s\n", u.release, u.version);
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "model name", 10)) {
			char *v = strchr(line, ':');
			if (v) {
				v[strcspn(v, "\n")] = 0;
				say("@@info cpu %s\n", v + 2);
			}
			break;
		}
	}
	if (f)
		fclose(f);
	DIR *d = opendir("/sys/module/kvm_amd/parameters");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], val[128] = "";
		snprintf(path, sizeof path, "/sys/module/kvm_amd/parameters/%s", e->d_name);
		FILE *p = fopen(path, "r");
		if (p && fgets(val, sizeof val, p))
			val[strcspn(val, "\n")] = 0;
		if (p)
			fclose(p);
		say("@@info param %s=%s\n", e->d_name, val);
	}
	if (d)
		closedir(d);
}

/* Runs the helper with the script on stdin and forwards its stdout; returns the status for @@end. */
static int run_helper(void)
{
	int out[2];
	if (pipe(out) != 0)
		return 125;
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(SCRIPT, O_RDONLY);
		dup2(in, 0);
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(HELPER, HELPER, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char buf[4096];
	for (;;) {
		ssize_t r = read(out[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		fwrite(buf, 1, (size_t)r, chan_out);
	}
	close(out[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	fflush(chan_out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL); /* KVM's per-VM statistics (kvmexits) */
	mkdir("/tmp", 0777);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);

	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "guest-init: /dev/ttyS1: %s\n", strerror(errno));
		power_off();
	}
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		cfsetspeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	chan_in = fd;
	chan_out = fdopen(dup(fd), "w");

	int ok = load_modules() == 0;
	print_info();
	if (ok && access("/dev/kvm", R_OK | W_OK) != 0) {
		say("@@fail /dev/kvm did not appear: %s\n", strerror(errno));
		ok = 0;
	}
	if (ok)
		say("@@ready\n");

	char line[256];
	char *script = malloc(MAX_SCRIPT);
	while (read_line(line, sizeof line) >= 0) {
		if (!strcmp(line, "@@quit"))
			break;
		long n;
		if (sscanf(line, "@@run %ld", &n) != 1 || n < 0 || n > MAX_SCRIPT) {
			if (line[0])
				say("@@bad %s\n", line);
			continue;
		}
		if (read_exact(chan_in, script, (size_t)n) != 0)
			break;
		if (!ok) {
			say("fatal no-kvm kvm_amd did not load in the guest\n@@end 3\n");
			continue;
		}
		int s = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (s < 0 || write(s, script, (size_t)n) != n) {
			say("@@end 125\n");
			if (s >= 0)
				close(s);
			continue;
		}
		close(s);
		say("@@end %d\n", run_helper());
	}
	power_off();
	return 0;
}
