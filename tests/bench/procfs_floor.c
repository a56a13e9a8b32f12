/* The floor under a scrape's cost: reads the procfs/sysfs files a scrape reads (listed one a line
 * on stdin, as tests/bench/floor_bench.sh finds them with strace; "statfs PATH" for a statfs call)
 * and nothing else: no HTTP, no parsing, no exposition. Each file is opened once and re-read from
 * offset 0 every round, as the exporter does with the files it keeps open; a folder is listed
 * again (docs/benchmarks.md, "The floor").
 *
 * usage: procfs_floor ROUNDS < files
 * prints: "files N rounds R cpu_ms_per_round X bytes_per_round B"
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

enum { kMaxFiles = 4096 };

static double CpuSeconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
  const long rounds = argc > 1 ? atol(argv[1]) : 1000;
  static int fds[kMaxFiles];
  static DIR* dirs[kMaxFiles];
  static char* mounts[kMaxFiles];
  static char line[4096];
  static char buffer[1 << 16];
  int count = 0, dir_count = 0, mount_count = 0;
  while (count < kMaxFiles && dir_count < kMaxFiles && mount_count < kMaxFiles && fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (strncmp(line, "statfs ", 7) == 0) {
      mounts[mount_count++] = strdup(line + 7);
      continue;
    }
    DIR* dir = opendir(line);
    if (dir) {
      dirs[dir_count++] = dir;
      continue;
    }
    const int fd = open(line, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) fds[count++] = fd;  /* a file gone since it was listed is left out */
  }
  long long bytes = 0;
  const double start = CpuSeconds();
  for (long round = 0; round < rounds; ++round) {
    for (int i = 0; i < count; ++i) {
      off_t offset = 0;
      ssize_t got;
      /* To the end: a multi-record seq_file (mountinfo, netdev) comes in several reads. */
      while ((got = pread(fds[i], buffer, sizeof buffer, offset)) > 0) offset += got;
      bytes += offset;
    }
    for (int i = 0; i < dir_count; ++i) {
      rewinddir(dirs[i]);
      while (readdir(dirs[i])) {
      }
    }
    for (int i = 0; i < mount_count; ++i) {
      struct statvfs fs;
      statvfs(mounts[i], &fs);
    }
  }
  const double cpu = CpuSeconds() - start;
  printf("files %d folders %d statfs %d rounds %ld cpu_ms_per_round %.4f bytes_per_round %lld\n", count,
         dir_count, mount_count, rounds,
         cpu * 1000.0 / (double)rounds, rounds > 0 ? bytes / rounds : 0);
  return 0;
}
