import type { Page } from 'playwright-core';

/**
 * The zh-CN text scan (issue 18): what a Chinese reader sees on a page must be Chinese, apart from names and
 * identifiers. Two findings:
 *  - an English sentence: three or more English words in a row, or three lowercase English words in one text
 *    (letters only, so model numbers, circuit ids, CIDRs and codes such as PE-3601-P1 or H3C CR16010-F never
 *    count), after product names and units are taken out;
 *  - a raw UUID in visible text.
 * Not scanned: code and pre (identifiers shown as such), `[data-identifier]` cells and the audit log's target column
 * (identifier columns), attributes (a UUID on hover is fine), hidden elements, inputs' values.
 */
export interface TextFinding { page: string; kind: 'english' | 'uuid'; text: string; where: string }

/** Names and units that stay in Latin letters in Chinese text. Matched as whole words, case-sensitive. */
export const ALLOWED_WORDS = [
  'Ganyun', 'IPv4', 'IPv6', 'VRF', 'CPU', 'vCPU', 'GPU', 'DR', 'RPO', 'RTO', 'Kubernetes', 'GiB', 'MiB', 'TiB', 'Mb/s', 'Gb/s', 'ms',
  'GB/T', 'PE', 'NAT', 'CIDR', 'VPN', 'SSH', 'API', 'CSV', 'DNS', 'BGP', 'OSPF', 'VLAN', 'ECS', 'RDS', 'SLB', 'OSS', 'NAS',
  'Huawei', 'H3C', 'ZTE', 'Ruijie', 'Cisco', 'Juniper', 'OpenStack', 'VMware', 'FusionCloud', 'Alibaba', 'Apsara', 'Inspur', 'Sangfor',
  'x86_64', 'arm64', 'loongarch64', 'Linux', 'Windows', 'Kylin', 'UOS', 'EulerOS', 'openEuler', 'CentOS', 'Ubuntu',
];

/**
 * The in-page part, as source text: functions handed to page.evaluate are serialised, and tsx's transform adds
 * helper calls (`__name`) that do not exist in the page.
 */
const IN_PAGE = String.raw`(allowed) => {
  const SKIP = 'code, pre, script, style, [data-identifier], .audit-table td.target, [aria-hidden="true"], .cdk-visually-hidden, .sr-only';
  const escape = (w) => w.replace(/[.*+?^${'$'}{}()|[\]\\/]/g, '\\$&');
  const allowedRe = new RegExp('(?<![A-Za-z])(?:' + allowed.map(escape).join('|') + ')(?![A-Za-z])', 'g');
  // Three words of letters in a row, separated by spaces (a comma or a colon between them still counts).
  const sentence = /(?<![A-Za-z0-9_.\-\/@])[A-Za-z][a-z]+(?:[,:;]? +[A-Za-z][a-z]*){2,}(?![A-Za-z0-9_\-\/@])/;
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = (n.textContent || '').trim();
    if (!el || !text || el.closest(SKIP) || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
    const place = el.tagName.toLowerCase() + cls;
    const cleaned = text.replace(allowedRe, '·');
    // Or three lowercase English words anywhere in one text (a sentence broken by an identifier: "link P1-3601 is down").
    const lower = cleaned.match(/(?<![A-Za-z0-9_.\-\/@])[a-z]{2,}(?![A-Za-z0-9_\-\/@])/g) || [];
    if ((sentence.test(cleaned) || lower.length >= 3) && !seen.has('e' + text)) { seen.add('e' + text); out.push({ kind: 'english', text, where: place }); }
    if (uuid.test(text) && !seen.has('u' + text)) { seen.add('u' + text); out.push({ kind: 'uuid', text, where: place }); }
  }
  return out;
}`;

export async function scanPageText(page: Page, where: string): Promise<TextFinding[]> {
  const raw = await page.evaluate(`(${IN_PAGE})(${JSON.stringify(ALLOWED_WORDS)})`) as Omit<TextFinding, 'page'>[];
  return raw.map((f) => ({ page: where, ...f }));
}

/** Scans the page, then each further tab of its first tab bar (their contents render only when opened). */
export async function scanPageAndTabs(page: Page, where: string): Promise<TextFinding[]> {
  const findings = await scanPageText(page, where);
  const tabs = page.locator('.ant-tabs-nav').first().locator('.ant-tabs-tab');
  const n = await tabs.count();
  for (let i = 1; i < n; i++) {
    const name = (await tabs.nth(i).innerText()).trim();
    await tabs.nth(i).click();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    findings.push(...(await scanPageText(page, `${where} › ${name}`)));
  }
  return findings;
}
