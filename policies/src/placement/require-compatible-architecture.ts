import { definePlacementPolicy } from '../define-policy.ts';

/** The cloud must offer at least one CPU architecture the system's software runs on. */
export const requireCompatibleArchitecture = definePlacementPolicy({
  id: 'require-compatible-architecture',
  title: { zh: 'CPU 架构须兼容', en: 'Compatible CPU architecture' },
  rationale: { zh: '系统软件只能运行在其支持的 CPU 架构上（如 x86_64、arm64、loongarch64）；云的资源池须提供其中至少一种。', en: "A system's software runs only on the CPU architectures it was built for (x86_64, arm64, loongarch64…); the cloud's capacity pools must offer at least one of them." },
  reference: null,
  check({ system, cloud }) {
    const common = system.architectures.filter((a) => cloud.architectures.includes(a));
    return common.length
      ? { ok: true, message: { zh: `${cloud.id} 提供 ${common.join('、')}`, en: `${cloud.id} offers ${common.join(', ')}` } }
      : { ok: false, message: { zh: `系统需要 ${system.architectures.join('/')}，${cloud.id} 仅提供 ${cloud.architectures.join('/') || '（无）'}`, en: `the system runs on ${system.architectures.join('/')}; ${cloud.id} offers only ${cloud.architectures.join('/') || '(none)'}` } };
  },
});
