/* The floor for bench/batch.sh: the least any program can do to resolve a list of names
 * through glibc at a given concurrency. J POSIX threads take names from a shared list and call
 * getaddrinfo(name, NULL, hints) -- AF_UNSPEC and no flags, the call sockscope addrinfo and the
 * Python pool make, or with "inet" AF_INET, the call CPython's gethostbyname (and so sockscope
 * hostbyname) makes -- and print each name that resolved to the lab's address; no parsing
 * beyond that, no formatting, no ordering. What this takes above N x delay / J is what the
 * machine (its cores, thread creation, glibc's resolver, the lab's server) costs; what
 * sockscope takes above this is sockscope's own.
 *
 * Usage: floor_client NAMES_FILE JOBS ADDRESS [inet|unspec].
 * Built by bench/batch.sh with cc -O2 -pthread.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static char **names;
static size_t count;
static atomic_size_t next_name;
static struct in_addr wanted;
static int family = AF_UNSPEC;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void *resolve(void *unused) {
    (void)unused;
    for (;;) {
        size_t i = atomic_fetch_add(&next_name, 1);
        if (i >= count)
            return NULL;
        struct addrinfo hints, *res;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = family;
        if (getaddrinfo(names[i], NULL, &hints, &res) != 0)
            continue;
        int found = 0;
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            if (ai->ai_family == AF_INET &&
                ((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr == wanted.s_addr)
                found = 1;
        }
        freeaddrinfo(res);
        if (found) {
            pthread_mutex_lock(&out_lock);
            puts(names[i]);
            pthread_mutex_unlock(&out_lock);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5 || inet_pton(AF_INET, argv[3], &wanted) != 1 ||
        (argc == 5 && strcmp(argv[4], "inet") != 0 && strcmp(argv[4], "unspec") != 0)) {
        fprintf(stderr, "usage: floor_client NAMES_FILE JOBS IPV4_ADDRESS [inet|unspec]\n");
        return 2;
    }
    if (argc == 5 && strcmp(argv[4], "inet") == 0)
        family = AF_INET;
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    /* Read every name first: the list is small, and reading is not what is measured. */
    size_t cap = 1024;
    names = malloc(cap * sizeof *names);
    char *line = NULL;
    size_t len = 0;
    ssize_t got;
    while (names && (got = getline(&line, &len, in)) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        if (count == cap && !(names = realloc(names, (cap *= 2) * sizeof *names)))
            break;
        names[count++] = strdup(line);
    }
    fclose(in);
    if (!names) {
        perror("malloc");
        return 2;
    }
    long jobs = strtol(argv[2], NULL, 10);
    if (jobs < 1)
        jobs = 1;
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* glibc's resolver needs far less; a small stack keeps thread creation cheap. */
    pthread_attr_setstacksize(&attr, 256 * 1024);
    long started = 0;
    for (; threads && started < jobs; started++) {
        if (pthread_create(&threads[started], &attr, resolve, NULL) != 0)
            break;
    }
    if (started == 0) {
        fprintf(stderr, "floor_client: cannot start a thread\n");
        return 2;
    }
    for (long i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    return 0;
}
