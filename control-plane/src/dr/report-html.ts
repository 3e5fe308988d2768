/**
 * The drill report as a printable HTML document (print it to PDF from the browser): the same content as
 * the JSON report, every value escaped, Chinese first with English beside it, and the SM3 digest that the
 * audit chain holds for it in the footer.
 */
import { formatSeconds } from './domain/gbt20988.ts';
import type { DrReport, ReportStep } from './domain/report.ts';

/**
 * A step as the report names it: the run page's name (Chinese / English, one when both are the same, as a
 * plan step's title), else the step's recorded title (reports recorded before steps had names).
 */
export function stepText(s: ReportStep): string {
  if (!s.name) return s.title;
  return s.name.zh === s.name.en ? s.name.zh : `${s.name.zh} / ${s.name.en}`;
}

const esc = (v: unknown): string => String(v ?? '—').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const secs = (s: number | null | undefined) => (s === null || s === undefined ? '—' : formatSeconds(Math.round(s)));
const yes = (b: boolean | null) => (b === null ? '—' : b ? '✓ 达标 / met' : '✗ 未达标 / not met');

export function renderReportHtml(r: DrReport, digest: string): string {
  const rows = (cells: unknown[][]) => cells.map((c) => `<tr>${c.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('');
  const results = rows(r.results.map((x) => [
    x.name, x.department, `${x.drLevel} (${x.edition})`,
    secs(x.rto.phaseSeconds.detect), secs(x.rto.phaseSeconds.declare), secs(x.rto.phaseSeconds.execute), secs(x.rto.phaseSeconds.validate),
    `${secs(x.rto.achievedSeconds)} / ${secs(x.rto.targetSeconds)}`, yes(x.rto.met), `${secs(x.rpo.seconds)} / ${secs(x.rpo.targetSeconds)}`, yes(x.rpo.met),
    x.businessVerified === null ? '—' : x.businessVerified ? '✓' : '✗',
  ]));
  // A step by the name the run page shows (Chinese / English), its key small beside it for cross-reference.
  const steps = r.steps.map((s) => `<tr>${[s.startedAt ?? '—'].map((x) => `<td>${esc(x)}</td>`).join('')}<td class="step">${esc(stepText(s))}<br><code>${esc(s.key)}</code></td>${
    [s.actor, s.status, s.durationMs === null ? '—' : `${s.durationMs} ms`, s.evidence].map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('');
  const elements = Object.entries(r.elements).map(([edition, list]) => `<h3>${esc(r.standards.find((x) => x.edition === edition)?.code)} ${esc(r.standards.find((x) => x.edition === edition)?.title.zh)}</h3>
<table><thead><tr><th>要素 / Element</th><th>条款 / Clause</th><th>结论 / Status</th><th>证据 / Evidence</th></tr></thead><tbody>${rows((list ?? []).map((e) => [`${e.name.zh} / ${e.name.en}`, e.clause, e.status, e.evidence.join('; ')]))}</tbody></table>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.title.zh)} ${esc(r.runId)}</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;font-size:12px}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top}th{background:#eee}h1{font-size:20px}.ok{color:#060}td.step code{color:#666;font-size:10px}.bad{color:#a00}@media print{body{margin:0}}</style></head>
<body>
<h1>${esc(r.title.zh)} / ${esc(r.title.en)}</h1>
<p>运行 / Run ${esc(r.runId)} · ${esc(r.kind)} · ${esc(r.drillType)} · 状态 / status ${esc(r.status)} · <strong class="${r.passed ? 'ok' : 'bad'}">${r.passed ? '通过 / PASSED' : '未通过 / NOT PASSED'}</strong></p>
<h2>范围 / Scope</h2><p>${esc(r.scope.systems.join('、'))}：${esc(r.scope.from)} → ${esc(r.scope.to)}</p>
<p>预案 / Plan: ${esc(r.plan.name)} v${esc(r.plan.version)} (${esc(r.plan.digest.slice(0, 16))}…) · ${esc(r.startedAt)} – ${esc(r.finishedAt)}</p>
<h2>方法与场景 / Method and scenario</h2><p>${esc(r.method)}</p><p>${esc(r.scenario || '—')}</p>
<h2>验收标准 / Exit criteria</h2><ul>${r.exitCriteria.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>
<h2>参与人员 / Participants</h2><table><tbody>${rows(r.participants.map((p) => [p.name, p.role, p.group]))}</tbody></table>
<h2>结果 / Results (RTO by phase, RPO)</h2>
<table><thead><tr><th>系统</th><th>部门</th><th>等级</th><th>detect</th><th>declare</th><th>execute</th><th>validate</th><th>RTO 实际/目标</th><th></th><th>RPO 实际/目标</th><th></th><th>业务验证</th></tr></thead><tbody>${results}</tbody></table>
<h2>清理 / Cleanup</h2><p>${r.cleanup ? `${esc(r.cleanup.removed)}/${esc(r.cleanup.recorded)} removed, ${esc(r.cleanup.leaked.length)} leaked ${esc(r.cleanup.leaked.join(', '))}` : '—'}</p>
<h2>GB/T 20988 要素 / Elements</h2>
${elements}
<h2>步骤记录 / Step record</h2>
<table><thead><tr><th>时间 / Time</th><th>步骤 / Step</th><th>执行人 / Actor</th><th>结果 / Result</th><th>耗时 / Duration</th><th>证据 / Evidence</th></tr></thead><tbody>${steps}</tbody></table>
<h2>签字 / Sign-off</h2><p>${r.signOff.length ? esc(r.signOff.map((s) => `${s.name} (${s.role}) ${s.at}`).join('; ')) : '________________'}</p>
<footer><p>SM3: <code>${esc(digest)}</code> (recorded in the audit chain / 已记入审计链) · ${esc(r.generatedAt)}</p></footer>
</body></html>`;
}
