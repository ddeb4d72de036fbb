/* Whether the run is inside a virtual machine, and which hypervisor, from
 * every witness there is: the CPU's hypervisor bit and the hypervisor's
 * own signature (CPUID leaf 0x40000000), the firmware's DMI strings, and
 * what the kernel says (/sys/hypervisor). A
 * virtual machine's caches are the hypervisor's description: its vCPUs
 * may share, or be denied, what it claims, and time it gives to other
 * guests (steal) is lost to the measurement. */
#ifndef MESILAB_VIRT_H
#define MESILAB_VIRT_H

#include <stdbool.h>

struct virt_info {
	bool virtual_machine;     /* some witness says so */
	char hypervisor[64];      /* "KVM", "bhyve", ...; "" when a VM whose hypervisor none names */
	char cpuid_signature[16]; /* leaf 0x40000000's 12 bytes, "" when none */
	char dmi[176];            /* "sys_vendor / product_name", "" when none */
	char evidence[256];       /* the witnesses, in words */
};

void virt_detect(struct virt_info *v);

#endif
