/* Feeds every file named on the command line to the fuzz target once, so a
 * committed corpus is a regression test in every ordinary build. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    while (data) {
        len += fread(data + len, 1, cap - len, f);
        if (len < cap)
            break;
        uint8_t *grown = realloc(data, cap * 2);
        if (!grown) {
            free(data);
            data = NULL;
        } else {
            data = grown;
            cap *= 2;
        }
    }
    int failed = !data || ferror(f);
    fclose(f);
    if (failed)
        fprintf(stderr, "replay: cannot read %s\n", path);
    else
        LLVMFuzzerTestOneInput(data, len);
    free(data);
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= replay(argv[i]);
    printf("replayed %d inputs\n", argc - 1);
    return failed;
}
