/* Socket constants the libc crate lacks, for build.rs to read from the C preprocessor's output. */

/* Each line below becomes `sockscope_constant "NAME" = (value);` once preprocessed; build.rs turns
   those into Rust constants (src/sys/ffi.rs, module `headers`). This file is only preprocessed,
   never compiled, so it needs to be valid C only as far as the preprocessor reads it. */

/* EAI_ADDRFAMILY, EAI_IDN_ENCODE, AI_IDN and AI_CANONIDN are GNU extensions of <netdb.h>. */
#define _GNU_SOURCE
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
/* The SO_VM_SOCKETS_ options come from the kernel's headers, which glibc's depend on. */
#include <linux/vm_sockets.h>

/* #name stringifies the name before expansion; (name) is its value after expansion. */
#define SOCKSCOPE_CONSTANT(name) sockscope_constant #name = (name);

SOCKSCOPE_CONSTANT(AF_QIPCRTR)
SOCKSCOPE_CONSTANT(AI_CANONIDN)
SOCKSCOPE_CONSTANT(AI_IDN)
SOCKSCOPE_CONSTANT(EAI_ADDRFAMILY)
SOCKSCOPE_CONSTANT(EAI_IDN_ENCODE)
SOCKSCOPE_CONSTANT(IP_MAX_MEMBERSHIPS)
SOCKSCOPE_CONSTANT(IP_RECVRETOPTS)
SOCKSCOPE_CONSTANT(IPV6_RTHDR_TYPE_0)
SOCKSCOPE_CONSTANT(NI_MAXSERV)
SOCKSCOPE_CONSTANT(SO_VM_SOCKETS_BUFFER_MAX_SIZE)
SOCKSCOPE_CONSTANT(SO_VM_SOCKETS_BUFFER_MIN_SIZE)
SOCKSCOPE_CONSTANT(SO_VM_SOCKETS_BUFFER_SIZE)
