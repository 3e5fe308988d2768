/**
 * The drill report as a PDF (issue 11.6: HTML, PDF and JSON), with the same content as the HTML report and
 * the SM3 digest of the JSON report in every page's footer, so the paper copy an inspector files can be
 * matched with the audit chain. Laid out by PDFKit (tables included); the text is set in a CJK font found on
 * the machine (Debian's fonts-noto-cjk by default, GANYUN_REPORT_FONT to name another), embedded as a subset.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { DomainError } from '../errors.ts';
import { formatSeconds } from './domain/gbt20988.ts';
import type { DrReport } from './domain/report.ts';
import { stepText } from './report-html.ts';

/** Fonts tried in order: [file, face in a collection]. Noto Sans CJK SC is what Debian's fonts-noto-cjk installs. */
const FONT_CANDIDATES: readonly (readonly [string, string | undefined])[] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', undefined],
];

export function reportFont(env: Record<string, string | undefined> = process.env): readonly [string, string | undefined] {
  const named = env['GANYUN_REPORT_FONT'];
  if (named) {
    const [file, face] = named.split('#');
    if (!existsSync(file!)) throw new DomainError(`GANYUN_REPORT_FONT names ${file}, which does not exist`, { code: 'notSupported' });
    return [file!, face];
  }
  const found = FONT_CANDIDATES.find(([file]) => existsSync(file));
  if (!found) throw new DomainError('no Chinese font for PDF reports on this server: install fonts-noto-cjk or set GANYUN_REPORT_FONT', { code: 'notSupported' });
  return found;
}

const secs = (s: number | null | undefined) => (s === null || s === undefined ? '—' : formatSeconds(Math.round(s)));
const met = (b: boolean | null) => (b === null ? '—' : b ? '达标 met' : '未达标 NOT met');
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

export function renderReportPdf(r: DrReport, digest: string, font = reportFont()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: 36, bufferPages: true,
    info: { Title: `${r.title.zh} ${r.runId}`, Subject: `SM3 ${digest}`, Creator: 'Ganyun 赣云' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font[0], font[1]);
  doc.font('cjk');

  const heading = (t: string) => doc.moveDown(0.6).fontSize(13).text(t).moveDown(0.2).fontSize(8.5);
  const table = (header: string[], rows: unknown[][], columnStyles?: (number | string)[]) => {
    doc.table({
      ...(columnStyles ? { columnStyles } : {}),
      rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#eeeeee' } : {}),
      data: [header, ...rows.map((row) => row.map(text))],
    });
    doc.moveDown(0.3);
  };

  doc.fontSize(18).text(`${r.title.zh} / ${r.title.en}`);
  doc.fontSize(9).moveDown(0.3)
    .text(`运行 Run ${r.runId} · ${r.kind} · ${r.drillType} · 状态 status ${r.status} · ${r.passed ? '通过 PASSED' : '未通过 NOT PASSED'}`)
    .text(`预案 Plan: ${r.plan.name} v${r.plan.version} (${r.plan.digest.slice(0, 16)}…) · ${r.startedAt} – ${r.finishedAt ?? '…'}`)
    .text(`范围 Scope: ${r.scope.systems.join('、')}：${r.scope.from} → ${r.scope.to}`);
  doc.fontSize(8.5);

  heading('方法与场景 Method and scenario');
  doc.text(r.method).text(text(r.scenario));
  heading('验收标准 Exit criteria');
  for (const c of r.exitCriteria) doc.text(`• ${c}`);
  heading('参与人员 Participants');
  table(['姓名 Name', '角色 Role', '组 Group'], r.participants.map((p) => [p.name, p.role, p.group]));
  heading('结果 Results: RTO by phase, RPO');
  table(
    ['系统 System', '部门 Department', '等级 Level', 'detect', 'declare', 'execute', 'validate', 'RTO 实际/目标', 'RTO', 'RPO 实际/目标', 'RPO', '业务验证'],
    r.results.map((x) => [
      x.name, x.department, `${x.drLevel} (${x.edition})`,
      secs(x.rto.phaseSeconds.detect), secs(x.rto.phaseSeconds.declare), secs(x.rto.phaseSeconds.execute), secs(x.rto.phaseSeconds.validate),
      `${secs(x.rto.achievedSeconds)} / ${secs(x.rto.targetSeconds)}`, met(x.rto.met), `${secs(x.rpo.seconds)} / ${secs(x.rpo.targetSeconds)}`, met(x.rpo.met),
      x.businessVerified === null ? '—' : x.businessVerified ? '✓' : '✗',
    ]),
  );
  heading('清理 Cleanup');
  doc.text(r.cleanup ? `${r.cleanup.removed}/${r.cleanup.recorded} removed, ${r.cleanup.leaked.length} leaked ${r.cleanup.leaked.join(', ')}` : '—');
  for (const [edition, list] of Object.entries(r.elements)) {
    const standard = r.standards.find((s) => s.edition === edition);
    heading(`GB/T 20988 要素 Elements: ${standard?.code ?? edition} ${standard?.title.zh ?? ''}`);
    table(['要素 Element', '条款 Clause', '结论 Status', '证据 Evidence'], (list ?? []).map((e) => [`${e.name.zh} / ${e.name.en}`, e.clause, e.status, e.evidence.join('; ')]), [170, 110, 80, '*']);
  }
  heading('步骤记录 Step record');
  table(
    ['时间 Time', '步骤 Step', '执行人 Actor', '结果 Result', '耗时 Duration', '证据 Evidence'],
    r.steps.map((s) => [s.startedAt, `${stepText(s)}\n${s.key}`, s.actor, s.status, s.durationMs === null ? '—' : `${s.durationMs} ms`, s.evidence]),
    [110, 200, 60, 60, 55, '*'],
  );
  heading('签字 Sign-off');
  doc.text(r.signOff.length ? r.signOff.map((s) => `${s.name} (${s.role}) ${s.at}`).join('; ') : '________________');

  // The digest on every page: a page taken out of the bundle still names the report it belongs to.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - 24;
    doc.fontSize(7).text(`SM3 ${digest} · 已记入审计链 recorded in the audit chain · ${r.generatedAt} · ${i + 1}/${range.count}`, 36, y, { lineBreak: false });
  }
  doc.end();
  return done;
}
