/*
 * The C reference for ReedSolomonBenchmark: ISA-L's own loop (Debian's libisal-dev) on the
 * same work, one core. For 4+2 and 8+4 with 1 MiB shards it times encode (all parity) and
 * decode with data shards 0 and 1 lost (rebuilt from the next k shards, as our codec picks
 * its survivors), and prints one line per case: "<benchmark> <k+m> <MB/s of data>", where
 * data is k x 1 MiB per operation and MB is 10^6 bytes; best of several timed runs.
 * A Cauchy matrix from gf_gen_cauchy1_matrix: the cost does not depend on the coefficients.
 *
 *   gcc -O2 -o isal-bench scripts/isal-bench.c -lisal && ./isal-bench
 */
#include <isa-l/erasure_code.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHARD_BYTES (1 << 20)
#define MAX_SHARDS 12
#define RUNS 5
#define RUN_SECONDS 0.3

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Best MB/s of data over RUNS runs of ec_encode_data with the given tables. */
static double best_mb_per_s(int k, int rows, unsigned char *tables, unsigned char **in, unsigned char **out) {
    double best = 0;
    for (int run = 0; run < RUNS; run++) {
        long ops = 0;
        double start = seconds(), elapsed;
        do {
            ec_encode_data(SHARD_BYTES, k, rows, tables, in, out);
            ops++;
            elapsed = seconds() - start;
        } while (elapsed < RUN_SECONDS);
        double rate = (double) ops * k * SHARD_BYTES / 1e6 / elapsed;
        if (rate > best) {
            best = rate;
        }
    }
    return best;
}

static void bench(int k, int m) {
    int n = k + m;
    unsigned char matrix[MAX_SHARDS * MAX_SHARDS], survivors[MAX_SHARDS * MAX_SHARDS], inverse[MAX_SHARDS * MAX_SHARDS];
    unsigned char tables[32 * MAX_SHARDS * MAX_SHARDS];
    unsigned char *shards[MAX_SHARDS], *rebuilt[2];
    for (int i = 0; i < n; i++) {
        shards[i] = aligned_alloc(64, SHARD_BYTES);
        for (int b = 0; b < SHARD_BYTES; b++) {
            shards[i][b] = (unsigned char) rand();
        }
    }
    gf_gen_cauchy1_matrix(matrix, n, k);

    ec_init_tables(k, m, &matrix[k * k], tables);
    printf("encode %d+%d %.0f\n", k, m, best_mb_per_s(k, m, tables, shards, &shards[k]));

    /* shards 0 and 1 lost: the survivors used are 2..k+1; the rebuild rows are rows 0 and 1 of their inverse */
    memcpy(survivors, &matrix[2 * k], (size_t) k * k);
    if (gf_invert_matrix(survivors, inverse, k) != 0) {
        fprintf(stderr, "singular survivor matrix for %d+%d\n", k, m);
        exit(1);
    }
    ec_init_tables(k, 2, inverse, tables);
    rebuilt[0] = aligned_alloc(64, SHARD_BYTES);
    rebuilt[1] = aligned_alloc(64, SHARD_BYTES);
    printf("decode %d+%d %.0f\n", k, m, best_mb_per_s(k, 2, tables, &shards[2], rebuilt));
    if (memcmp(rebuilt[0], shards[0], SHARD_BYTES) != 0 || memcmp(rebuilt[1], shards[1], SHARD_BYTES) != 0) {
        fprintf(stderr, "decode %d+%d rebuilt the wrong bytes\n", k, m);
        exit(1);
    }
    for (int i = 0; i < n; i++) {
        free(shards[i]);
    }
    free(rebuilt[0]);
    free(rebuilt[1]);
}

int main(void) {
    bench(4, 2);
    bench(8, 4);
    return 0;
}
