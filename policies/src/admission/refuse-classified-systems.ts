import { definePolicy } from '../define-policy.ts';
import { JIANGXI_PLAN } from '../types.ts';

/** 涉密 systems never go on the government cloud: the plan puts non-classified systems on it, and only those. */
export const refuseClassifiedSystems = definePolicy({
  id: 'refuse-classified-systems',
  title: { zh: '涉密系统不得上政务云', en: 'Classified systems are refused' },
  rationale: { zh: '规划要求“非涉密政务系统上云应上尽上”，涉密系统按保密管理规定在专用网络与设施上运行，不进入政务云。', en: 'The plan puts every non-classified government system on the cloud ("非涉密政务系统上云应上尽上"); classified systems stay on dedicated networks and facilities under secrecy rules.' },
  reference: `${JIANGXI_PLAN}: 发展目标 — 非涉密政务系统上云应上尽上`,
  scope: 'system',
  onFailure: 'deny',
  check({ system }) {
    if (system.dataClassification === 'classified') {
      return { ok: false, message: { zh: `${system.name} 为涉密系统，不能接入政务云`, en: `${system.name} holds classified (涉密) data and cannot go on the government cloud` } };
    }
    return { ok: true, message: { zh: '非涉密系统', en: 'not classified' } };
  },
});
