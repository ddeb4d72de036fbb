#include <config.h>

#include <stdio.h>
#include <string.h>

#include "path.h"
#include "virt.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_X86_CPUID 1
#endif

/* Hypervisors by the signature they put in CPUID leaf 0x40000000. */
static const struct {
	const char *signature, *name;
} signatures[] = {
	{ "KVMKVMKVM", "KVM" },         { "Microsoft Hv", "Hyper-V" },   { "VMwareVMware", "VMware" },
	{ "XenVMMXenVMM", "Xen" },      { "bhyve bhyve ", "bhyve" },     { "TCGTCGTCGTCG", "QEMU (TCG, emulated)" },
	{ "VBoxVBoxVBox", "VirtualBox" }, { " lrpepyh  vr", "Parallels" }, { "ACRNACRNACRN", "ACRN" },
	{ "QNXQVMBSQG", "QNX" },        { "Linux KVM Hv", "KVM (Hyper-V interface)" },
};

/* Firmware vendors and products that name a hypervisor or a cloud's. */
static const struct {
	const char *text, *name;
} dmi_names[] = {
	{ "QEMU", "QEMU" },          { "Amazon EC2", "Amazon EC2" },  { "Google Compute Engine", "Google Compute Engine" },
	{ "VMware", "VMware" },      { "VirtualBox", "VirtualBox" },  { "innotek", "VirtualBox" },
	{ "Xen", "Xen" },            { "Virtual Machine", "Hyper-V" }, { "KVM", "KVM" },
	{ "OpenStack", "OpenStack" }, { "Parallels", "Parallels" },   { "BHYVE", "bhyve" },
};

static void add_evidence(struct virt_info *v, const char *fmt, const char *arg)
{
	size_t used = strlen(v->evidence);

	snprintf(v->evidence + used, sizeof(v->evidence) - used, "%s", used ? "; " : "");
	used = strlen(v->evidence);
	snprintf(v->evidence + used, sizeof(v->evidence) - used, fmt, arg);
}

static void from_cpuid(struct virt_info *v)
{
#ifdef HAVE_X86_CPUID
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c >> 31 & 1))
		return;
	v->virtual_machine = true;
	add_evidence(v, "%s", "the CPU's hypervisor bit");
	__cpuid(0x40000000, a, b, c, d);
	memcpy(v->cpuid_signature, &b, 4);
	memcpy(v->cpuid_signature + 4, &c, 4);
	memcpy(v->cpuid_signature + 8, &d, 4);
	v->cpuid_signature[12] = '\0';
	for (size_t i = 0; i < 12; i++) /* a signature is printable, or none */
		if (v->cpuid_signature[i] && (v->cpuid_signature[i] < 0x20 || v->cpuid_signature[i] > 0x7e))
			v->cpuid_signature[0] = '\0';
	for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]) && v->cpuid_signature[0]; i++)
		if (strncmp(v->cpuid_signature, signatures[i].signature, strlen(signatures[i].signature)) == 0) {
			snprintf(v->hypervisor, sizeof(v->hypervisor), "%s", signatures[i].name);
			break;
		}
	if (v->cpuid_signature[0])
		add_evidence(v, "CPUID signature '%s'", v->cpuid_signature);
#else
	(void)v;
#endif
}

static void from_dmi(struct virt_info *v)
{
	char vendor[80], product[80]; /* DMI strings are at most 64 bytes */

	path_first_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	path_first_line("/sys/class/dmi/id/product_name", product, sizeof(product));
	if (!vendor[0] && !product[0])
		return;
	snprintf(v->dmi, sizeof(v->dmi), "%s / %s", vendor, product);
	for (size_t i = 0; i < sizeof(dmi_names) / sizeof(dmi_names[0]); i++)
		if (strstr(vendor, dmi_names[i].text) || strstr(product, dmi_names[i].text)) {
			v->virtual_machine = true;
			if (!v->hypervisor[0])
				snprintf(v->hypervisor, sizeof(v->hypervisor), "%s", dmi_names[i].name);
			add_evidence(v, "firmware '%s'", v->dmi);
			return;
		}
}

static void from_kernel(struct virt_info *v)
{
	char type[64];

	path_first_line("/sys/hypervisor/type", type, sizeof(type));
	if (type[0]) {
		v->virtual_machine = true;
		if (!v->hypervisor[0])
			snprintf(v->hypervisor, sizeof(v->hypervisor), "%s", type);
		add_evidence(v, "the kernel's /sys/hypervisor/type '%s'", type);
	}
}

void virt_detect(struct virt_info *v)
{
	memset(v, 0, sizeof(*v));
	from_cpuid(v);
	from_dmi(v);
	from_kernel(v);
	if (!v->virtual_machine)
		snprintf(v->evidence, sizeof(v->evidence), "no witness of a hypervisor (CPUID, DMI, /sys/hypervisor)");
}
