import type { CpuArch, CpuVendor } from '@ganyun/providers';
import { InputError } from '../errors.ts';

/**
 * How a system moves, derived from the facts, with the reason shown to the operator:
 *  - rehost: same CPU architecture and the target offers the system's OS: copy the machines as they are;
 *  - replatform: same architecture, different OS (CentOS → Kylin, UOS or openEuler; also forced when the
 *    system must run on Xinchuang technology and its OS is not a domestic one): re-install on the new OS;
 *  - rebuild: another instruction set (x86_64 → arm64 for Kunpeng / Phytium, → loongarch64 for Loongson):
 *    recompile or rebuild the software. Hygon CPUs are x86_64: moving to Hygon is never a rebuild.
 */

export type MigrationMethod = 'rehost' | 'replatform' | 'rebuild';
export const MIGRATION_METHODS: readonly MigrationMethod[] = ['rehost', 'replatform', 'rebuild'];

export interface Reason {
  zh: string;
  en: string;
}

/** OS families by the image id's prefix (`kylin-v10-sp3` → kylin). */
export const OS_FAMILIES = {
  centos: { zh: 'CentOS', en: 'CentOS', xinchuang: false },
  rhel: { zh: 'RHEL', en: 'RHEL', xinchuang: false },
  ubuntu: { zh: 'Ubuntu', en: 'Ubuntu', xinchuang: false },
  debian: { zh: 'Debian', en: 'Debian', xinchuang: false },
  suse: { zh: 'SUSE', en: 'SUSE', xinchuang: false },
  windows: { zh: 'Windows Server', en: 'Windows Server', xinchuang: false },
  kylin: { zh: '银河麒麟', en: 'Kylin', xinchuang: true },
  uos: { zh: '统信 UOS', en: 'UOS', xinchuang: true },
  openeuler: { zh: 'openEuler', en: 'openEuler', xinchuang: true },
  anolis: { zh: '龙蜥 Anolis', en: 'Anolis OS', xinchuang: true },
} as const;
export type OsFamily = keyof typeof OS_FAMILIES;

export function osFamilyOf(imageId: string): OsFamily | null {
  const prefix = imageId.toLowerCase().split(/[-_.\s]/)[0] ?? '';
  return prefix in OS_FAMILIES ? (prefix as OsFamily) : null;
}

const VENDOR_NAMES: Record<CpuVendor, Reason> = {
  intel: { zh: 'Intel', en: 'Intel' },
  amd: { zh: 'AMD', en: 'AMD' },
  hygon: { zh: '海光', en: 'Hygon' },
  kunpeng: { zh: '鲲鹏', en: 'Kunpeng' },
  phytium: { zh: '飞腾', en: 'Phytium' },
  loongson: { zh: '龙芯', en: 'Loongson' },
};
const XINCHUANG: ReadonlySet<CpuVendor> = new Set(['hygon', 'kunpeng', 'phytium', 'loongson']);
/** Domestic OS the target is re-installed on, in order of preference, when the system's own cannot stay. */
const PREFERRED_OS: readonly OsFamily[] = ['kylin', 'uos', 'openeuler', 'anolis'];

export interface SourceFacts {
  arch: CpuArch;
  vendor: CpuVendor;
  /** Image the system's machines run, e.g. `centos-7.9`. */
  image: string;
}

export interface TargetFacts {
  cloudId: string;
  cloudName: string;
  platforms: readonly { arch: CpuArch; vendor: CpuVendor }[];
  images: readonly { id: string; arches: readonly CpuArch[]; legacy: boolean }[];
}

export interface MethodDecision {
  method: MigrationMethod;
  target: { arch: CpuArch; vendor: CpuVendor; image: string };
  reasons: Reason[];
}

/**
 * Picks the target platform (the system's own architecture when the target has it, a Xinchuang vendor
 * first when required) and image, and derives the method. `wantArch` pins the target architecture: a
 * target without it is refused, named.
 */
export function deriveMethod(source: SourceFacts, target: TargetFacts, opts: { xinchuangRequired: boolean; wantArch?: CpuArch }): MethodDecision {
  const platforms = target.platforms.filter((p) => (opts.wantArch ? p.arch === opts.wantArch : true));
  if (!platforms.length) {
    const offered = [...new Set(target.platforms.map((p) => p.arch))].join(', ') || 'none';
    const arch = opts.wantArch ?? 'any CPU architecture';
    throw new InputError(`target cloud ${target.cloudName} does not offer ${arch} (it offers ${offered})`, 'targetArch', { code: 'migration.targetLacksArch', params: { cloud: target.cloudName, arch, offered } });
  }
  const usable = opts.xinchuangRequired ? platforms.filter((p) => XINCHUANG.has(p.vendor)) : platforms;
  if (!usable.length) throw new InputError(`target cloud ${target.cloudName} offers no Xinchuang CPU${opts.wantArch ? ` for ${opts.wantArch}` : ''}, which this system requires`, 'targetCloudId');
  // Same architecture first (no rebuild); among those a Xinchuang vendor when required, else the source's own vendor.
  const rank = (p: { arch: CpuArch; vendor: CpuVendor }) => (p.arch === source.arch ? 0 : 2) + (p.vendor === source.vendor ? 0 : 1);
  const platform = [...usable].sort((a, b) => rank(a) - rank(b))[0]!;
  const family = osFamilyOf(source.image);
  const reasons: Reason[] = [];

  const sourceName = `${source.arch}（${VENDOR_NAMES[source.vendor].zh}）`;
  const targetName = `${platform.arch}（${VENDOR_NAMES[platform.vendor].zh}）`;
  const sameArch = platform.arch === source.arch;
  if (sameArch) {
    const hygonNote = platform.vendor === 'hygon' && source.vendor !== 'hygon' ? { zh: '，海光 CPU 为 x86_64 架构', en: '; Hygon CPUs are x86_64' } : { zh: '', en: '' };
    reasons.push({
      zh: `CPU 架构相同：${sourceName} → ${targetName}${hygonNote.zh}`,
      en: `same CPU architecture: ${source.arch} (${VENDOR_NAMES[source.vendor].en}) → ${platform.arch} (${VENDOR_NAMES[platform.vendor].en})${hygonNote.en}`,
    });
  } else {
    reasons.push({
      zh: `CPU 架构不同：${sourceName} → ${targetName}，软件需重新编译或重建`,
      en: `different CPU architecture: ${source.arch} (${VENDOR_NAMES[source.vendor].en}) → ${platform.arch} (${VENDOR_NAMES[platform.vendor].en}); software must be recompiled or rebuilt`,
    });
  }

  const offers = (f: OsFamily) => target.images.find((i) => osFamilyOf(i.id) === f && i.arches.includes(platform.arch) && !i.legacy);
  const keepOs = family !== null && (!opts.xinchuangRequired || OS_FAMILIES[family].xinchuang) ? offers(family) : undefined;
  const image = keepOs ?? PREFERRED_OS.map(offers).find((i) => i !== undefined);
  if (!image) throw new InputError(`target cloud ${target.cloudName} offers no supported OS image for ${platform.arch}`, 'targetCloudId');
  const to = osFamilyOf(image.id)!;
  if (keepOs) {
    reasons.push({ zh: `目标云提供 ${OS_FAMILIES[to].zh} 镜像（${image.id}），操作系统不变`, en: `the target offers ${OS_FAMILIES[to].en} (${image.id}); the OS stays` });
  } else {
    const from = family ? OS_FAMILIES[family] : { zh: source.image, en: source.image };
    const why = opts.xinchuangRequired && family && !OS_FAMILIES[family].xinchuang
      ? { zh: '系统须运行在信创技术栈上', en: 'the system must run on Xinchuang technology' }
      : { zh: `目标云不提供受支持的 ${from.zh} 镜像`, en: `the target offers no supported ${from.en} image` };
    reasons.push({ zh: `操作系统由 ${from.zh} 换为 ${OS_FAMILIES[to].zh}（${why.zh}）`, en: `OS changes from ${from.en} to ${OS_FAMILIES[to].en} (${why.en})` });
  }
  const method: MigrationMethod = !sameArch ? 'rebuild' : keepOs ? 'rehost' : 'replatform';
  return { method, target: { arch: platform.arch, vendor: platform.vendor, image: image.id }, reasons };
}
