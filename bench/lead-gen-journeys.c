/* lead-gen-journeys: writes a synthetic path-level journey CSV to stdout,
 * one row per journey, byte-identical for the same arguments. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey_gen.h"

static void usage(void)
{
    fputs("usage: lead-gen-journeys --paths N --channels K --seed S [--max-len L]\n"
          "  N >= 0 rows, 1 <= K <= 1000000 channels, S any unsigned 64-bit seed,\n"
          "  1 <= L <= 1000 touches per path (default 20)\n",
          stderr);
}

/* Parses a whole decimal argument within [min, max]; 0 on success. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t paths = 0, channels = 0, seed = 0, max_len = GEN_DEFAULT_MAX_LEN;
    int have_paths = 0, have_channels = 0, have_seed = 0;
    for (int i = 1; i < argc; i += 2) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int bad;
        if (strcmp(argv[i], "--paths") == 0)
            bad = parse_u64(value, 0, UINT64_MAX, &paths), have_paths = 1;
        else if (strcmp(argv[i], "--channels") == 0)
            bad = parse_u64(value, 1, 1000000, &channels), have_channels = 1;
        else if (strcmp(argv[i], "--seed") == 0)
            bad = parse_u64(value, 0, UINT64_MAX, &seed), have_seed = 1;
        else if (strcmp(argv[i], "--max-len") == 0)
            bad = parse_u64(value, 1, 1000, &max_len);
        else
            bad = -1;
        if (bad) {
            fprintf(stderr, "lead-gen-journeys: bad argument %s%s%s\n", argv[i],
                    value ? " " : "", value ? value : "");
            usage();
            return 2;
        }
    }
    if (!have_paths || !have_channels || !have_seed) {
        usage();
        return 2;
    }

    gen_journeys gen;
    if (gen_init(&gen, (uint32_t)channels, seed, (uint32_t)max_len) != 0) {
        fputs("lead-gen-journeys: out of memory\n", stderr);
        return 1;
    }
    char *row = malloc(gen_row_max(&gen));
    gen_path path = {0, malloc(max_len * sizeof *path.channel), 0, 0};
    if (!row || !path.channel) {
        free(row);
        free(path.channel);
        gen_free(&gen);
        fputs("lead-gen-journeys: out of memory\n", stderr);
        return 1;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    fputs(GEN_HEADER, stdout);
    for (uint64_t p = 0; p < paths; p++) {
        gen_next_path(&gen, &path);
        fwrite(row, 1, gen_format_row(&gen, &path, row), stdout);
    }
    free(row);
    free(path.channel);
    gen_free(&gen);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("lead-gen-journeys: write error\n", stderr);
        return 1;
    }
    return 0;
}
