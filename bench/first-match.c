/* The kernel's first-match MSR filter decision (kvm_msr_allowed's loop) in C, as the benchmark's baseline.
 * Reads the filter and indexes written by bench/c-baseline.ts and prints decisions per second. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t rd32(FILE *f) {
  uint32_t v;
  if (fread(&v, 4, 1, f) != 1) exit(2);
  return v;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  double ms = atof(argv[2]);
  uint32_t count = rd32(f), default_allow = rd32(f);
  uint32_t base[16], end[16], flags[16], offset[16];
  for (uint32_t k = 0; k < count; k++) base[k] = rd32(f), end[k] = rd32(f), flags[k] = rd32(f), offset[k] = rd32(f);
  uint32_t nbits = rd32(f);
  uint8_t *bits = malloc(nbits);
  if (fread(bits, 1, nbits, f) != nbits) return 2;
  uint32_t n = rd32(f);
  uint32_t *idx = malloc(n * 4);
  if (fread(idx, 4, n, f) != n) return 2;
  fclose(f);
  uint64_t done = 0, allowed = 0;
  double start = now(), elapsed = 0;
  while (elapsed * 1000 < ms) {
    for (uint32_t type = 1; type <= 2; type++) {
      for (uint32_t i = 0; i < n; i++) {
        uint32_t index = idx[i];
        uint32_t r = default_allow;
        for (uint32_t k = 0; k < count; k++) {
          if (index >= base[k] && index < end[k] && (flags[k] & type)) {
            uint32_t bit = index - base[k];
            r = (bits[offset[k] + (bit >> 3)] >> (bit & 7)) & 1;
            break;
          }
        }
        allowed += r;
      }
    }
    done += 2ull * n;
    elapsed = now() - start;
  }
  printf("%.0f %llu\n", done / elapsed, (unsigned long long)allowed);
  return 0;
}
