/* A stand-in for libnvidia-ml.so.1 with the nvml.h signatures NvmlTests need: three GPUs, the second one
   refusing access (NVML_ERROR_NO_PERMISSION = 4). -DINIT_FAILS makes nvmlInit_v2 return
   NVML_ERROR_DRIVER_NOT_LOADED (9); -DNO_NAME leaves nvmlDeviceGetName out. */
#include <stdio.h>

typedef struct { unsigned long long total, free, used; } memory_t;

static int shutdowns;

int nvmlInit_v2(void)
{
#ifdef INIT_FAILS
    return 9;
#else
    return 0;
#endif
}

int nvmlShutdown(void) { shutdowns++; return 0; }
int fake_shutdowns(void) { return shutdowns; }

int nvmlDeviceGetCount_v2(unsigned int *count) { *count = 3; return 0; }

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device)
{
    if (index == 1) return 4;
    *device = (void *)(unsigned long)(100 + index);
    return 0;
}

int nvmlDeviceGetMemoryInfo(void *device, memory_t *memory)
{
    unsigned long long gpu = (unsigned long)device - 100;
    memory->total = 85899345920ULL + gpu; /* 80 GiB: more than 32 bits */
    memory->used = 1000 + gpu;
    memory->free = memory->total - memory->used;
    return 0;
}

#ifndef NO_NAME
int nvmlDeviceGetName(void *device, char *name, unsigned int length)
{
    snprintf(name, length, "Fake GPU %lu", (unsigned long)device - 100);
    return 0;
}
#endif
