/*
 * Userspace stand-ins for the kernel definitions a VFIO migration driver
 * skeleton uses (`vfio-fsm gen --driver-skeleton`), so that a test can
 * compile it with `gcc -Wall -Wextra -Werror -c`. Written for this project's
 * tests; nothing here is kernel code. The state enum and the flag macros
 * come from the spec, and are defined by the test before this header.
 */
#ifndef VFIO_DRIVER_SHIM_H
#define VFIO_DRIVER_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t u32;

#define EINVAL 22
#define MAX_ERRNO 4095

struct file;

struct mutex {
	int held;
};

static inline void mutex_init(struct mutex *m) { m->held = 0; }
static inline void mutex_lock(struct mutex *m) { m->held = 1; }
static inline void mutex_unlock(struct mutex *m) { m->held = 0; }
static inline void fput(struct file *f) { (void)f; }

/* The kernel's WARN_ON() returns its condition; a warning is all it adds. */
static inline int WARN_ON(int condition) { return condition; }

static inline void *ERR_PTR(long error) { return (void *)(intptr_t)error; }
static inline bool IS_ERR(const void *ptr) { return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO; }

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct vfio_device;

struct vfio_migration_ops {
	struct file *(*migration_set_state)(struct vfio_device *vdev, enum vfio_device_mig_state new_state);
	int (*migration_get_state)(struct vfio_device *vdev, enum vfio_device_mig_state *curr_state);
};

struct vfio_device {
	u32 migration_flags;
	const struct vfio_migration_ops *mig_ops;
};

struct vfio_pci_core_device {
	struct vfio_device vdev;
};

int vfio_mig_get_next_state(struct vfio_device *device, enum vfio_device_mig_state cur_fsm,
			    enum vfio_device_mig_state new_fsm, enum vfio_device_mig_state *next_fsm);

#endif
